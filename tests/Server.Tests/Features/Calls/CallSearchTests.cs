using System.Net;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Calls.Analysis;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;

namespace EstateVoice.Server.Tests.Features.Calls;

/// <summary>
/// The calls list as a reviewer uses it: words said in any call (turns and transcript, any case), sorting, the
/// outcome filter, browser test calls left out unless asked for, and the same query as a CSV download.
/// </summary>
public sealed class CallSearchTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Q_finds_words_said_in_turns_and_transcripts_whatever_their_case(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var said = await world.NewCallAsync(null, world.AgentA);
        var inTranscript = await world.NewCallAsync(null, world.AgentA);
        var other = await world.NewCallAsync(null, world.AgentA);
        await app.WithDbAsync(async d =>
        {
            d.CallTurns.AddRange(
                new CallTurn { CallId = said.Id, Sequence = 1, Speaker = Speaker.Caller, Text = "Is the Garden Flat on Elm Street still free?" },
                new CallTurn { CallId = other.Id, Sequence = 1, Speaker = Speaker.Caller, Text = "Do you have 100% financing?" });
            (await d.Calls.FindAsync(inTranscript.Id))!.TranscriptText = "Agent: Hello\nCaller: I saw the GARDEN FLAT online";
            await d.SaveChangesAsync();
        });
        var manager = await app.ClientForAsync(world.Manager);

        Assert.Equal([said.Id, inTranscript.Id], (await manager.GetJsonAsync("/calls/?q=garden%20flat&sort=started_at")).Ids());
        Assert.Equal([other.Id], (await manager.GetJsonAsync("/calls/?q=100%25")).Ids());
        // % and _ are the caller's words, not wildcards.
        Assert.Empty((await manager.GetJsonAsync("/calls/?q=G_rden")).Ids());
        Assert.Empty((await manager.GetJsonAsync("/calls/?q=zebra")).Ids());
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Sorts_by_caller_outcome_and_duration_and_filters_by_outcome(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var zoe = await world.NewCallAsync(await world.NewLeadAsync(world.AgentA, name: "Zoe Adams"), world.AgentA, outcome: CallOutcome.Qualified, duration: 30);
        var amy = await world.NewCallAsync(await world.NewLeadAsync(world.AgentA, name: "Amy Brown"), world.AgentA, outcome: CallOutcome.ShowingBooked, duration: 300);
        var mike = await world.NewCallAsync(null, world.AgentA, outcome: CallOutcome.Qualified, duration: 120, callerName: "Mike Chen");
        var manager = await app.ClientForAsync(world.Manager);

        Assert.Equal([amy.Id, mike.Id, zoe.Id], (await manager.GetJsonAsync("/calls/?sort=caller")).Ids());
        Assert.Equal([amy.Id, mike.Id, zoe.Id], (await manager.GetJsonAsync("/calls/?sort=-duration_seconds")).Ids());
        Assert.Equal(amy.Id, (await manager.GetJsonAsync("/calls/?sort=-outcome")).Ids()[0]);
        Assert.Equal([zoe.Id, mike.Id], (await manager.GetJsonAsync("/calls/?outcome=qualified&sort=duration_seconds")).Ids());
        Assert.Equal(HttpStatusCode.BadRequest, (await manager.GetAsync("/calls/?sort=mood")).StatusCode);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Test_calls_are_left_out_of_the_list_and_the_reports_unless_asked_for(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var real = await world.NewCallAsync(null, world.AgentA);
        var test = await world.NewCallAsync(null, world.AgentA);
        await app.WithDbAsync(async d =>
        {
            (await d.Calls.FindAsync(test.Id))!.IsTest = true;
            await d.SaveChangesAsync();
        });
        var agent = await app.ClientForAsync(world.AgentA);

        Assert.Equal([real.Id], (await agent.GetJsonAsync("/calls/")).Ids());
        Assert.Equal([real.Id, test.Id], (await agent.GetJsonAsync("/calls/?include_tests=true")).Ids().Order());
        Assert.Equal(1, (await agent.GetJsonAsync("/reports/summary")).GetProperty("total_calls").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync($"/calls/{test.Id}")).StatusCode);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Export_is_the_same_query_as_csv_quoted_and_safe_from_formulas(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var hostile = await world.NewCallAsync(null, world.AgentA, outcome: CallOutcome.Qualified, summary: "=HYPERLINK(\"http://x\",\"y\")", callerName: "Lee, \"Sam\"");
        await world.NewCallAsync(null, world.AgentA, outcome: CallOutcome.NotInterested, summary: "not this one");
        var agent = await app.ClientForAsync(world.AgentA);

        var response = await agent.GetAsync("/calls/export.csv?outcome=qualified");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,started_at,direction,caller,from_number,to_number,status,duration_seconds,outcome,sentiment,agent,lead,summary", lines[0]);
        var row = Assert.Single(lines[1..]);
        Assert.StartsWith($"{hostile.Id},", row);
        Assert.Contains(",\"Lee, \"\"Sam\"\"\",", row);
        Assert.EndsWith(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"", row);
        Assert.Contains(",qualified,", row);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.GetAsync("/calls/export.csv?outcome=great")).StatusCode);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Sentiment_filters_the_list_and_the_export_and_each_item_says_its_sentiment_and_whether_it_is_a_test(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var happy = await world.NewCallAsync(null, world.AgentA);
        var cross = await world.NewCallAsync(null, world.AgentA);
        var pending = await world.NewCallAsync(null, world.AgentA);
        var happyTest = await world.NewCallAsync(null, world.AgentA);
        await app.WithDbAsync(async d =>
        {
            var now = DateTimeOffset.UtcNow;
            CallAnalysis Analysed(int callId, CallSentiment? sentiment) => new()
            {
                CallId = callId, Status = sentiment is null ? AnalysisStatus.Pending : AnalysisStatus.Done, Sentiment = sentiment, CreatedAt = now, UpdatedAt = now,
            };
            d.CallAnalyses.AddRange(Analysed(happy.Id, CallSentiment.Positive), Analysed(cross.Id, CallSentiment.Negative),
                Analysed(pending.Id, null), Analysed(happyTest.Id, CallSentiment.Positive));
            (await d.Calls.FindAsync(happyTest.Id))!.IsTest = true;
            await d.SaveChangesAsync();
        });
        var agent = await app.ClientForAsync(world.AgentA);

        Assert.Equal([happy.Id], (await agent.GetJsonAsync("/calls/?sentiment=positive")).Ids());
        Assert.Equal([happy.Id, happyTest.Id], (await agent.GetJsonAsync("/calls/?sentiment=positive&include_tests=true&sort=started_at")).Ids());
        Assert.Equal([cross.Id], (await agent.GetJsonAsync("/calls/?sentiment=negative")).Ids());
        Assert.Empty((await agent.GetJsonAsync("/calls/?sentiment=neutral")).Ids());
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.GetAsync("/calls/?sentiment=grumpy")).StatusCode);

        var items = (await agent.GetJsonAsync("/calls/?include_tests=true")).GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetInt32());
        Assert.Equal("positive", items[happy.Id].GetProperty("sentiment").GetString());
        Assert.Equal("negative", items[cross.Id].GetProperty("sentiment").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, items[pending.Id].GetProperty("sentiment").ValueKind);
        Assert.False(items[happy.Id].GetProperty("is_test").GetBoolean());
        Assert.True(items[happyTest.Id].GetProperty("is_test").GetBoolean());

        var csv = (await (await agent.GetAsync("/calls/export.csv?sentiment=negative")).Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var row = Assert.Single(csv[1..]);
        Assert.StartsWith($"{cross.Id},", row);
        Assert.Contains(",negative,", row);
    }
}
