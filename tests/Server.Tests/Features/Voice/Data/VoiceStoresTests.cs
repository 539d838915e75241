using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Properties;
using EstateVoice.Server.Features.Showings;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Features.Voice.Tools;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EstateVoice.Server.Tests.Features.Voice.Data;

/// <summary>The database stores behind the voice loop, called directly (no audio), on both databases.</summary>
public sealed class VoiceStoresTests
{
    private static async Task<(int CallId, string Token)> RegisterAsync(AppFactory app, string from = "+15125550100") =>
        await app.WithDbAsync(async db =>
        {
            var token = StreamTokens.Create();
            var now = app.Time.GetUtcNow();
            var call = new Call
            {
                CallSid = "CA" + Guid.NewGuid().ToString("N"), FromNumber = from, Status = CallStatus.Ringing, StartedAt = now,
                StreamTokenHash = StreamTokens.Hash(token), CreatedAt = now, UpdatedAt = now,
            };
            db.Calls.Add(call);
            await db.SaveChangesAsync();
            return (call.Id, token);
        });

    private static Task<Dictionary<string, int>> ListingsAsync(AppFactory app) => app.WithDbAsync(async db =>
    {
        var now = app.Time.GetUtcNow();
        Property P(string address, string city, decimal price, int beds, PropertyType type, PropertyStatus status) => new()
        {
            Address = address, City = city, State = "TX", Zip = "78704", Price = price, Bedrooms = beds, Bathrooms = 2m,
            SquareFeet = 1500, PropertyType = type, Status = status, Features = ["yard"], CreatedAt = now, UpdatedAt = now,
        };
        Property[] all =
        [
            P("1 Sold", "Austin", 300_000m, 3, PropertyType.House, PropertyStatus.Sold),
            P("2 Pending", "Austin", 310_000m, 3, PropertyType.House, PropertyStatus.Pending),
            P("3 Active cheap", "Austin", 420_000m, 3, PropertyType.House, PropertyStatus.Active),
            P("4 Active dear", "Austin", 480_000m, 4, PropertyType.House, PropertyStatus.Active),
            P("5 Too dear", "Austin", 700_000m, 4, PropertyType.House, PropertyStatus.Active),
            P("6 Condo", "Austin", 400_000m, 3, PropertyType.Condo, PropertyStatus.Active),
            P("7 Small", "Austin", 350_000m, 2, PropertyType.House, PropertyStatus.Active),
            P("8 Dallas", "Dallas", 390_000m, 3, PropertyType.House, PropertyStatus.Active),
            P("9 Multi", "Round Rock", 450_000m, 6, PropertyType.MultiFamily, PropertyStatus.Active),
        ];
        db.Properties.AddRange(all);
        await db.SaveChangesAsync();
        return all.ToDictionary(p => p.Address, p => p.Id);
    });

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Many_concurrent_claims_of_one_token_admit_exactly_one(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var (callId, token) = await RegisterAsync(app);
        var store = app.Services.GetRequiredService<IVoiceCallStore>();

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => store.ClaimStreamAsync(callId, token, $"MZ{i}", CancellationToken.None))));

        Assert.Single(claims, c => c.Result == StreamClaimResult.Accepted);
        Assert.All(claims.Where(c => c.Result != StreamClaimResult.Accepted), c => Assert.Equal(StreamClaimResult.AlreadyStreaming, c.Result));
        var row = await app.WithDbAsync(d => d.Calls.AsNoTracking().SingleAsync(c => c.Id == callId));
        Assert.Null(row.StreamTokenHash);
        Assert.Equal(app.Time.GetUtcNow(), row.StreamStartedAt);
        Assert.Equal(CallStatus.InProgress, row.Status);
        Assert.Equal(StreamClaimResult.AlreadyStreaming, (await store.ClaimStreamAsync(callId, token, null, CancellationToken.None)).Result);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Claims_say_why_they_are_refused(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var store = app.Services.GetRequiredService<IVoiceCallStore>();
        var (callId, token) = await RegisterAsync(app);
        Assert.Equal(StreamClaimResult.UnknownCall, (await store.ClaimStreamAsync(callId + 1, token, null, default)).Result);
        Assert.Equal(StreamClaimResult.BadToken, (await store.ClaimStreamAsync(callId, "nope", null, default)).Result);
        Assert.Equal(StreamClaimResult.BadToken, (await store.ClaimStreamAsync(callId, null, null, default)).Result);
        await app.WithDbAsync(d => d.Calls.Where(c => c.Id == callId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CallStatus.Canceled)));
        Assert.Equal(StreamClaimResult.CallFinished, (await store.ClaimStreamAsync(callId, token, null, default)).Result);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task An_accepted_claim_links_the_callers_lead_and_its_agent_by_number(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var agent = await app.CreateUserAsync(EstateVoice.Server.Features.Auth.UserRole.Agent);
        var leadId = await app.WithDbAsync(async d =>
        {
            var lead = new Lead { Name = "Known", Phone = "+15125550123", AssignedAgentId = agent.Id, CreatedAt = app.Time.GetUtcNow(), UpdatedAt = app.Time.GetUtcNow() };
            d.Leads.Add(lead);
            await d.SaveChangesAsync();
            return lead.Id;
        });
        var (callId, token) = await RegisterAsync(app, "+15125550123");
        var claim = await app.Services.GetRequiredService<IVoiceCallStore>().ClaimStreamAsync(callId, token, "MZ1", default);
        Assert.Equal((StreamClaimResult.Accepted, leadId, agent.Id), (claim.Result, claim.Call!.LeadId, claim.Call.AgentId));
        var row = await app.WithDbAsync(d => d.Calls.AsNoTracking().SingleAsync(c => c.Id == callId));
        Assert.Equal((leadId, agent.Id), (row.LeadId, row.AgentId));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Finishing_writes_status_outcome_duration_and_the_transcript_once(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var store = app.Services.GetRequiredService<IVoiceCallStore>();
        var (callId, token) = await RegisterAsync(app);
        await store.ClaimStreamAsync(callId, token, "MZ1", default);
        await store.AppendTurnAsync(callId, new CallTurnRecord(1, TurnSpeaker.Agent, "Thanks for calling.", 0, 1200, null, false, null, null, null, null), default);
        await store.AppendTurnAsync(callId, new CallTurnRecord(2, TurnSpeaker.Caller, "I want to sell.", 1500, 2600, null, false, 180, null, null, null), default);
        await store.AppendTurnAsync(callId, new CallTurnRecord(3, TurnSpeaker.Agent, "Great, which city?", 2900, 4000, "[{\"name\":\"update_lead\"}]", true, 180, 240, 310, 420), default);
        await store.MarkFailureAsync(callId, "tts: timeout", default);
        await store.MarkFailureAsync(callId, "tts: second", default);
        var endedAt = app.Time.GetUtcNow().AddSeconds(42);
        await store.FinishCallAsync(callId, new CallEnd(CallEndStatus.Completed, CallOutcome.InformationProvided, null, null, endedAt, 42), default);
        await store.FinishCallAsync(callId, new CallEnd(CallEndStatus.Failed, CallOutcome.Failed, "late", null, endedAt.AddSeconds(5), 47), default);

        var call = await app.WithDbAsync(d => d.Calls.AsNoTracking().Include(c => c.Turns.OrderBy(t => t.Sequence)).SingleAsync(c => c.Id == callId));
        Assert.Equal((CallStatus.Completed, CallOutcome.InformationProvided, 42, endedAt), (call.Status, call.Outcome, call.DurationSeconds, call.EndedAt));
        Assert.Equal("tts: timeout", call.FailureReason);
        Assert.Equal("Agent: Thanks for calling.\nCaller: I want to sell.\nAgent: Great, which city?", call.TranscriptText?.ReplaceLineEndings("\n"));
        var agent = call.Turns[2];
        Assert.Equal((Speaker.Agent, 2900, 4000, true), (agent.Speaker, agent.StartMs, agent.EndMs, agent.Interrupted));
        Assert.Equal((180, 240, 310, 420), (agent.SttLatencyMs, agent.LlmFirstTokenMs, agent.TtsFirstByteMs, agent.FirstAudioMs));
        Assert.Equal("[{\"name\":\"update_lead\"}]", agent.ToolCallsJson);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Property_search_runs_as_sql_and_returns_only_active_matching_listings_cheapest_first(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var ids = await ListingsAsync(app);
        var store = app.Services.GetRequiredService<IAgentDataStore>();

        var houses = await store.SearchPropertiesAsync(new PropertyQuery("  austin ", null, 500_000m, 3, "house"), default);
        Assert.Equal(["3 Active cheap", "4 Active dear"], houses.Select(p => p.Address));
        Assert.All(houses, p => Assert.Equal(("Active", "House"), (p.Status, p.PropertyType)));
        Assert.Equal(["yard"], houses[0].Features);

        Assert.Equal(["9 Multi"], (await store.SearchPropertiesAsync(new PropertyQuery("Round Rock", null, null, null, "multi_family"), default)).Select(p => p.Address));
        Assert.Equal(["6 Condo"], (await store.SearchPropertiesAsync(new PropertyQuery("Austin", null, null, null, "Condos"), default)).Select(p => p.Address));
        Assert.Empty(await store.SearchPropertiesAsync(new PropertyQuery("Atlantis", null, null, null, null), default));
        // Nonsense from a model (negative price, unknown type) loosens the search instead of failing it.
        Assert.Equal(3, (await store.SearchPropertiesAsync(new PropertyQuery("Austin", -5m, null, 3, "castle"), default)).Count);
        Assert.Equal(["Austin", "Dallas", "Round Rock"], await store.GetCitiesAsync(default));
        Assert.Equal("1 Sold", (await store.GetPropertyAsync(ids["1 Sold"], default))?.Address);
        Assert.Null(await store.GetPropertyAsync(-1, default));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Lead_upserts_by_caller_number_merge_facts_qualify_and_honour_do_not_call(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var store = app.Services.GetRequiredService<IAgentDataStore>();
        var first = await store.UpsertLeadAsync(null, "+15125550111", new LeadUpdate(Intent: "buy", Areas: ["Austin"]), default);
        var again = await store.UpsertLeadAsync(null, "+15125550111", new LeadUpdate(BudgetMax: 450_000m, Bedrooms: 3, Areas: ["austin", "Round Rock"]), default);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal("New", again.Status);
        var qualified = await store.UpsertLeadAsync(first.Id, "+15125550111", new LeadUpdate(Name: "Sam Lee", PreApproved: true, Notes: "wants a yard"), default);
        Assert.Equal(("Qualified", "buy", "Sam Lee"), (qualified.Status, qualified.Intent, qualified.Name));
        await store.UpsertLeadAsync(first.Id, "+15125550111", new LeadUpdate(DoNotCall: true), default);

        var lead = await app.WithDbAsync(d => d.Leads.AsNoTracking().SingleAsync());
        Assert.Equal(["Austin", "Round Rock"], lead.PreferredAreas);
        Assert.Equal((450_000m, 3, true, LeadSource.InboundCall), (lead.BudgetMax, lead.Bedrooms, lead.PreApproved, lead.Source));
        Assert.Equal(app.Time.GetUtcNow(), lead.QualifiedAt);
        Assert.True(lead.DoNotCall);
        Assert.False(lead.ConsentToCall);
        Assert.Equal("wants a yard", lead.Notes);
        Assert.Equal(lead.Id, (await store.FindLeadAsync(null, "+15125550111", default))?.Id);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Booking_goes_through_the_crm_rules_past_times_off_market_and_clashes_are_refused(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var ids = await ListingsAsync(app);
        var store = app.Services.GetRequiredService<IAgentDataStore>();
        var lead = await store.UpsertLeadAsync(null, "+15125550122", new LeadUpdate(Intent: "buy"), default);
        var saturday = app.Time.GetUtcNow().AddDays(3);

        var booked = await store.BookShowingAsync(new ShowingRequest(lead.Id, ids["3 Active cheap"], saturday, null, "by voice"), default);
        Assert.True(booked.Booked, booked.Error);
        var clash = await store.BookShowingAsync(new ShowingRequest(lead.Id, ids["3 Active cheap"], saturday.AddMinutes(30), null, null), default);
        Assert.False(clash.Booked);
        Assert.Contains("already has a showing", clash.Error);
        Assert.False((await store.BookShowingAsync(new ShowingRequest(lead.Id, ids["1 Sold"], saturday, null, null), default)).Booked);
        Assert.False((await store.BookShowingAsync(new ShowingRequest(lead.Id, ids["4 Active dear"], app.Time.GetUtcNow().AddHours(-1), null, null), default)).Booked);

        var showing = await app.WithDbAsync(d => d.Showings.AsNoTracking().SingleAsync());
        Assert.Equal((booked.ShowingId, ShowingSource.VoiceAgent, ShowingStatus.Scheduled, "by voice"), ((int?)showing.Id, showing.Source, showing.Status, showing.Notes));
        Assert.Equal(LeadStatus.Showing, (await app.WithDbAsync(d => d.Leads.AsNoTracking().SingleAsync())).Status);
    }
}
