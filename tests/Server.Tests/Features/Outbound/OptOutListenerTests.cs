using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Outbound;
using EstateVoice.Server.Features.Outbound.Compliance;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Tools;
using EstateVoice.Server.Tests.Features.Leads;
using EstateVoice.Server.Tests.Features.Telephony;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EstateVoice.Server.Tests.Features.Outbound;

/// <summary>"Stop calling me" on a call and a user marking a lead both list the number and tell every listener.</summary>
public sealed class OptOutListenerTests
{
    private sealed class RecordingListener : INumberOptedOutListener
    {
        public ConcurrentQueue<string> Numbers { get; } = new();

        public Task NumberOptedOutAsync(string phoneE164, CancellationToken cancellationToken)
        {
            Numbers.Enqueue(phoneE164);
            return Task.CompletedTask;
        }
    }

    private sealed class ThrowingListener : INumberOptedOutListener
    {
        public Task NumberOptedOutAsync(string phoneE164, CancellationToken cancellationToken) => throw new InvalidOperationException("broken listener");
    }

    private sealed class CallerFacts(string phone) : ICallFacts
    {
        public int? CallId => null;
        public string? CallerPhone => phone;
        public int? LeadId { get; private set; }
        public List<CallFact> Reported { get; } = [];
        public void Report(CallFact fact) => Reported.Add(fact);
    }

    private static Task<AppFactory> AppAsync(Db db, RecordingListener listener) => AppFactory.CreateAsync(db, new(), services =>
    {
        services.AddSingleton<INumberOptedOutListener>(new ThrowingListener());
        services.AddSingleton<INumberOptedOutListener>(listener);
    });

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_caller_who_says_stop_calling_me_goes_on_the_list_and_listeners_hear_the_number(Db db)
    {
        var listener = new RecordingListener();
        await using var app = await AppAsync(db, listener);
        var facts = new CallerFacts("+15125550142");
        var tools = new AgentTools(app.Services.GetRequiredService<IAgentDataStore>(), facts, app.Time);

        await tools.UpdateLeadAsync(do_not_call: true);

        Assert.Equal(["+15125550142"], listener.Numbers);
        Assert.IsType<LeadMarkedDoNotCall>(Assert.Single(facts.Reported));
        var entry = await app.WithDbAsync(d => d.Set<DoNotCallEntry>().AsNoTracking().SingleAsync());
        Assert.Equal(("+15125550142", DoNotCallSources.Caller), (entry.Phone, entry.Source));
        Assert.NotNull(entry.LeadId);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_user_marking_a_lead_do_not_call_lists_its_number_once_and_tells_the_listeners(Db db)
    {
        var listener = new RecordingListener();
        await using var app = await AppAsync(db, listener);
        var manager = await app.CreateUserAsync(UserRole.Manager);
        var client = await app.ClientForAsync(manager);
        var lead = await TwilioWebhookTests.AddLeadAsync(app, "+12125550177", null);

        Assert.Equal(HttpStatusCode.OK, (await client.PatchAsJsonAsync($"/leads/{lead.Id}", new { notes = "no change to dnc" })).StatusCode);
        Assert.Empty(listener.Numbers);
        Assert.Equal(HttpStatusCode.OK, (await client.PatchAsJsonAsync($"/leads/{lead.Id}", new { do_not_call = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PatchAsJsonAsync($"/leads/{lead.Id}", new { do_not_call = true })).StatusCode);

        Assert.Equal(["+12125550177"], listener.Numbers);
        var entry = await app.WithDbAsync(d => d.Set<DoNotCallEntry>().AsNoTracking().SingleAsync());
        Assert.Equal((DoNotCallSources.Lead, (int?)manager.Id, (int?)lead.Id), (entry.Source, entry.AddedById, entry.LeadId));

        var created = await client.PostAsJsonAsync("/leads/", new { name = "New One", phone = "+12125550178", do_not_call = true });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(["+12125550177", "+12125550178"], listener.Numbers);
    }
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task An_imported_file_that_marks_leads_do_not_call_lists_their_numbers_and_tells_the_listeners(Db db)
    {
        var listener = new RecordingListener();
        await using var app = await AppAsync(db, listener);
        var manager = await app.CreateUserAsync(UserRole.Manager);
        var client = await app.ClientForAsync(manager);
        await TwilioWebhookTests.AddLeadAsync(app, "+12125550181", null); // merged: the file turns it do-not-call
        const string csv = """
            Name,Phone,DNC
            New Quiet,+1 212 555 0180,yes
            Old Lead,+1 212 555 0181,yes
            Happy Caller,+1 212 555 0182,no
            """;
        var mapping = new Dictionary<string, string> { ["Name"] = "name", ["Phone"] = "phone", ["DNC"] = "do_not_call" };

        var response = await client.PostAsync("/leads/import", LeadImportTests.Form(csv, mapping, "merge"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["+12125550180", "+12125550181"], listener.Numbers.Order());
        var entries = await app.WithDbAsync(d => d.Set<DoNotCallEntry>().AsNoTracking().OrderBy(e => e.Phone).ToListAsync());
        Assert.Equal(["+12125550180", "+12125550181"], entries.Select(e => e.Phone));
        Assert.All(entries, e => Assert.Equal((DoNotCallSources.Import, (int?)manager.Id), (e.Source, e.AddedById)));

        // The same file again lists nothing twice and tells nobody again.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/leads/import", LeadImportTests.Form(csv, mapping, "merge"))).StatusCode);
        Assert.Equal(2, listener.Numbers.Count);
        Assert.Equal(2, await app.WithDbAsync(d => d.Set<DoNotCallEntry>().CountAsync()));
    }
}
