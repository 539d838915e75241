using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Showings;
using EstateVoice.Server.Infrastructure.Configuration;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Data.Seed;
using EstateVoice.Server.Tests.Features.Crm;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EstateVoice.Server.Tests.Infrastructure.Data;

public class DemoDataSeederTests
{
    private static readonly Dictionary<string, string?> Demo = new() { ["SEED_DEMO_DATA"] = "true" };

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Demo_mode_seeds_a_full_crm_once(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db, Demo);
        var now = app.Time.GetUtcNow();

        var counts = await app.WithDbAsync(async d => (await d.Properties.CountAsync(), await d.Leads.CountAsync(), await d.Calls.CountAsync(), await d.Showings.CountAsync()));
        Assert.Equal(60, counts.Item1);
        Assert.Equal(40, counts.Item2);
        Assert.Equal(30, counts.Item3);
        Assert.InRange(counts.Item4, 4, 10);
        Assert.Equal(5, await app.WithDbAsync(d => d.Properties.Select(p => p.City).Distinct().CountAsync()));
        Assert.Equal(Enum.GetValues<LeadStatus>().Order(), (await app.WithDbAsync(d => d.Leads.Select(l => l.Status).Distinct().ToListAsync())).Order());
        var calls = await app.WithDbAsync(d => d.Calls.AsNoTracking().Include(c => c.Turns).ToListAsync());
        Assert.All(calls, c => Assert.InRange(c.StartedAt, now.AddDays(-31), now));
        Assert.All(calls, c => Assert.False(string.IsNullOrEmpty(c.TranscriptSummary)));
        Assert.All(calls, c => Assert.NotNull(c.Outcome));
        Assert.Contains(calls, c => c.Turns.Any(t => t.Interrupted));
        Assert.Contains(calls, c => c.Turns.Any(t => t.ToolCallsJson != null && t.ToolCallsJson.Contains("book_showing")));
        Assert.Contains(calls, c => c.Turns.Any(t => t.FirstAudioMs > 0));
        Assert.True(calls.Count(c => c.Turns.Count > 0) >= 20);
        var showings = await app.WithDbAsync(d => d.Showings.AsNoTracking().ToListAsync());
        Assert.Contains(showings, s => s.StartsAt < now && s.Status == ShowingStatus.Completed);
        Assert.Contains(showings, s => s.StartsAt > now && s.Status == ShowingStatus.Scheduled);

        // A second start (the seeder runs on every start) adds nothing.
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedIfEnabledAsync(CancellationToken.None);
        Assert.Equal(60, await app.WithDbAsync(d => d.Properties.CountAsync()));
        Assert.Equal(4, await app.WithDbAsync(d => d.Users.CountAsync()));

        // Every page of the web app has content for the demo users, through the API.
        var agent = app.CreateClient();
        var login = await agent.PostAsJsonAsync("/auth/login", new { email = "agent@example.com", password = "password" });
        agent.DefaultRequestHeaders.Authorization = new("Bearer", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString());
        Assert.True((await agent.GetJsonAsync("/leads/")).Total() > 5);
        var agentCalls = await agent.GetJsonAsync("/calls/");
        Assert.True(agentCalls.Total() > 5);
        var detail = await agent.GetJsonAsync($"/calls/{agentCalls.Ids()[0]}");
        Assert.NotEqual(JsonValueKind.Null, detail.GetProperty("transcript_text").ValueKind);
        Assert.True((await agent.GetJsonAsync("/reports/summary")).GetProperty("total_calls").GetInt32() > 5);
        // What the caller fixtures ask the voice agent for (tests/fixtures/audio/transcripts.tsv) is on the market.
        Assert.True((await agent.GetJsonAsync("/properties/?city=austin&max_price=500000&bedrooms=3&property_type=house&status=active")).Total() >= 3);
        Assert.True((await agent.GetJsonAsync("/properties/?city=dallas&property_type=condo")).Total() >= 1);
    }

    [Fact]
    public async Task The_demo_data_is_the_same_on_every_fresh_start()
    {
        await using var first = await AppFactory.CreateAsync(Db.Sqlite, Demo);
        await using var second = await AppFactory.CreateAsync(Db.Sqlite, Demo);
        static Task<List<string>> Fingerprint(AppFactory app) => app.WithDbAsync(d => d.Properties.OrderBy(p => p.Id)
            .Select(p => p.Address + p.Price + p.City).ToListAsync());
        Assert.Equal(await Fingerprint(first), await Fingerprint(second));
        var sids = await second.WithDbAsync(d => d.Calls.Select(c => c.CallSid).ToListAsync());
        Assert.All(sids, sid => Assert.Matches("^CA[0-9a-f]{32}$", sid));
    }

    /// <summary>Several nodes starting at once on an empty database each seed it: one set of demo rows, no node fails.</summary>
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Seeding_run_by_several_nodes_at_once_seeds_once(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db); // migrated, nothing seeded
        var scopes = Enumerable.Range(0, 4).Select(_ => app.Services.CreateAsyncScope()).ToList();
        try
        {
            var seeders = scopes.Select(scope => new DemoDataSeeder(scope.ServiceProvider.GetRequiredService<AppDbContext>(),
                new DemoOptions { Enabled = true }, scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>(),
                TimeProvider.System, NullLogger<DemoDataSeeder>.Instance)).ToList();

            await Task.WhenAll(seeders.Select(seeder => Task.Run(() => seeder.SeedIfEnabledAsync(CancellationToken.None))));
        }
        finally
        {
            foreach (var scope in scopes) await scope.DisposeAsync();
        }

        Assert.Equal(4, await app.WithDbAsync(d => d.Users.CountAsync()));
        Assert.Equal((60, 40, 30), await app.WithDbAsync(async d => (await d.Properties.CountAsync(), await d.Leads.CountAsync(), await d.Calls.CountAsync())));
    }
}
