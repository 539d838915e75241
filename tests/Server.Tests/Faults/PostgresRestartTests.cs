using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace EstateVoice.Server.Tests.Faults;

/// <summary>
/// PostgreSQL restarted (`pg_ctl restart`) while writes arrive at ~50/s: a write either lands and is acknowledged, or
/// fails cleanly (503 ProblemDetails with Retry-After, never a 500); nothing acknowledged is lost; the server recovers
/// by itself. Runs on a cluster of its own so the restart disturbs no other test.
/// </summary>
public class PostgresRestartTests(ITestOutputHelper output)
{
    private sealed record Write(int N, HttpStatusCode Status, string? ContentType, bool HasRetryAfter, int? LeadId, TimeSpan Took);

    /// <summary>
    /// 0: a plain `pg_ctl restart` (~1-2 s down; EF's retries usually carry every write across it).
    /// 6: down for 6 s, longer than EF's three retries (~0 + 1 + 3 s): writes in that window must fail cleanly.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public async Task Writes_across_a_restart_land_or_get_503_and_the_server_recovers_by_itself(int downtimeSeconds)
    {
        await using var cluster = await PostgresCluster.StartAsync();
        await using var app = AppFactory.CreateOnPostgres(await cluster.CreateDatabaseAsync());
        var admin = await app.ClientForRoleAsync(UserRole.Admin);
        var writes = new ConcurrentBag<Write>();
        var inFlight = new List<Task>();
        var clock = Stopwatch.StartNew();

        var restartEnded = long.MaxValue / 2; // clock ticks; set when pg_ctl restart returns
        var restart = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var began = clock.Elapsed;
            await cluster.RestartAsync(TimeSpan.FromSeconds(downtimeSeconds));
            Volatile.Write(ref restartEnded, clock.Elapsed.Ticks);
            return began;
        });
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(20)); // 50 writes/s
        for (var n = 0; clock.Elapsed.Ticks < Volatile.Read(ref restartEnded) + TimeSpan.TicksPerSecond * 2; n++)
        {
            inFlight.Add(WriteAsync(admin, n, writes));
            await ticks.WaitForNextTickAsync();
        }
        var restartBegan = await restart;
        await Task.WhenAll(inFlight);

        var byStatus = writes.GroupBy(w => w.Status).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"restart {restartBegan.TotalSeconds:0.00}-{TimeSpan.FromTicks(restartEnded).TotalSeconds:0.00} s; {writes.Count} writes: "
                         + string.Join(", ", byStatus.Select(kv => $"{(int)kv.Key}×{kv.Value}")) + $"; slowest {writes.Max(w => w.Took).TotalMilliseconds:0} ms");
        Assert.All(writes, w => Assert.Contains(w.Status, new[] { HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable }));
        Assert.All(writes.Where(w => w.Status == HttpStatusCode.ServiceUnavailable),
            w => Assert.Equal(("application/problem+json", true), (w.ContentType, w.HasRetryAfter)));

        var acknowledged = writes.Where(w => w.Status == HttpStatusCode.Created).ToList();
        var stored = await app.WithDbAsync(d => d.Leads.Where(l => l.Name.StartsWith("fault-")).Select(l => new { l.Id, l.Name }).ToListAsync());
        var lost = acknowledged.Where(w => !stored.Any(s => s.Id == w.LeadId && s.Name == $"fault-{w.N}")).Select(w => w.N).ToList();
        Assert.True(lost.Count == 0, $"acknowledged but not stored: {string.Join(", ", lost)}");

        // Recovered without a restart of ours: a fresh write lands.
        var after = await admin.PostAsJsonAsync("/leads", new { name = "after-restart", phone = "+15125550142" });
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
    }

    private static async Task WriteAsync(HttpClient client, int n, ConcurrentBag<Write> writes)
    {
        var took = Stopwatch.StartNew();
        using var response = await client.PostAsJsonAsync("/leads", new { name = $"fault-{n}", phone = "+15125550142" });
        int? id = null;
        if (response.StatusCode == HttpStatusCode.Created)
            id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        writes.Add(new Write(n, response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers.RetryAfter is not null, id, took.Elapsed));
    }
}
