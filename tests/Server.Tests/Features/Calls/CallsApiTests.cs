using System.Net;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;

namespace EstateVoice.Server.Tests.Features.Calls;

public class CallsApiTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Agents_see_calls_they_handled_or_on_their_leads(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var leadA = await world.NewLeadAsync(world.AgentA);
        var leadB = await world.NewLeadAsync(world.AgentB);
        var handled = await world.NewCallAsync(leadB, world.AgentA, app.Time.GetUtcNow().AddHours(-3));
        var onMyLead = await world.NewCallAsync(leadA, null, app.Time.GetUtcNow().AddHours(-2));
        var theirs = await world.NewCallAsync(leadB, world.AgentB, app.Time.GetUtcNow().AddHours(-1));
        var anonymous = await world.NewCallAsync(null, null);

        var agent = await app.ClientForAsync(world.AgentA);
        var manager = await app.ClientForAsync(world.Manager);

        Assert.Equal([onMyLead.Id, handled.Id], (await agent.GetJsonAsync("/calls/")).Ids());
        Assert.Equal(4, (await manager.GetJsonAsync("/calls")).Total());
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/calls/{theirs.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/calls/{anonymous.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync($"/calls/{handled.Id}")).StatusCode);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Filters_and_free_text_narrow_the_list(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var now = app.Time.GetUtcNow();
        var lead = await world.NewLeadAsync(world.AgentA, name: "Priya Natarajan");
        var old = await world.NewCallAsync(lead, world.AgentA, now.AddDays(-10), summary: "Asked about school districts");
        var booked = await world.NewCallAsync(null, world.AgentB, now.AddDays(-2), CallDirection.Outbound, outcome: CallOutcome.ShowingBooked,
            callerName: "Marcus Lee");
        var missed = await world.NewCallAsync(null, null, now.AddDays(-1), status: CallStatus.NoAnswer, outcome: CallOutcome.NoAnswer,
            duration: null, answered: false);
        var manager = await app.ClientForAsync(world.Manager);

        Assert.Equal([booked.Id], (await manager.GetJsonAsync("/calls/?direction=outbound")).Ids());
        Assert.Equal([missed.Id], (await manager.GetJsonAsync("/calls/?status=no_answer")).Ids());
        Assert.Equal([booked.Id], (await manager.GetJsonAsync("/calls/?outcome=showing_booked")).Ids());
        Assert.Equal([old.Id], (await manager.GetJsonAsync($"/calls/?agent_id={world.AgentA.Id}")).Ids());
        Assert.Equal([old.Id], (await manager.GetJsonAsync($"/calls/?lead_id={lead.Id}")).Ids());
        Assert.Equal([old.Id], (await manager.GetJsonAsync($"/calls/?call_sid={old.CallSid}")).Ids());
        Assert.Equal([old.Id], (await manager.GetJsonAsync("/calls/?q=SCHOOL")).Ids());
        Assert.Equal([old.Id], (await manager.GetJsonAsync("/calls/?q=natarajan")).Ids());
        Assert.Equal([booked.Id], (await manager.GetJsonAsync("/calls/?q=marcus")).Ids());
        Assert.Equal([missed.Id], (await manager.GetJsonAsync($"/calls/?q={Uri.EscapeDataString(missed.FromNumber!)}")).Ids());
        var from = now.AddDays(-3).ToString("yyyy-MM-dd");
        var to = now.AddDays(-2).ToString("yyyy-MM-dd");
        Assert.Equal([booked.Id], (await manager.GetJsonAsync($"/calls/?from={from}&to={to}")).Ids());
        Assert.Equal([old.Id, booked.Id, missed.Id], (await manager.GetJsonAsync("/calls/?sort=started_at")).Ids());
        var item = (await manager.GetJsonAsync($"/calls/?lead_id={lead.Id}")).GetProperty("items")[0];
        Assert.Equal("Priya Natarajan", item.GetProperty("lead_name").GetString());
        Assert.Equal(world.AgentA.Name, item.GetProperty("agent_name").GetString());
        Assert.False(item.GetProperty("has_recording").GetBoolean());
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Detail_has_ordered_turns_with_tool_calls_latency_and_a_transcript(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var call = await world.NewCallAsync(await world.NewLeadAsync(world.AgentA), world.AgentA);
        await app.WithDbAsync(async d =>
        {
            var stored = await d.Calls.FindAsync(call.Id);
            stored!.RecordingBlobName = "elevenlabs/2026-11-25/x.mp3";
            stored.RecordingDurationSeconds = 118;
            d.CallTurns.AddRange(
                new CallTurn { CallId = call.Id, Sequence = 2, Speaker = Speaker.Caller, Text = "Three bedrooms in Austin?", StartMs = 4000, EndMs = 6000 },
                new CallTurn
                {
                    CallId = call.Id, Sequence = 3, Speaker = Speaker.Agent, Text = "I found two homes", StartMs = 6500, EndMs = 9000,
                    ToolCallsJson = """[{"name":"search_properties","arguments":{"city":"Austin","bedrooms":3},"result":{"count":2}}]""",
                    Interrupted = true, SttLatencyMs = 180, LlmFirstTokenMs = 420, TtsFirstByteMs = 150, FirstAudioMs = 790,
                },
                new CallTurn { CallId = call.Id, Sequence = 1, Speaker = Speaker.Agent, Text = "Thanks for calling!", StartMs = 0, EndMs = 2000 });
            await d.SaveChangesAsync();
        });
        var client = await app.ClientForAsync(world.AgentA);

        var detail = await client.GetJsonAsync($"/calls/{call.Id}");

        var turns = detail.GetProperty("turns").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], turns.Select(t => t.GetProperty("sequence").GetInt32()));
        Assert.Equal("caller", turns[1].GetProperty("speaker").GetString());
        Assert.Equal("search_properties", turns[2].GetProperty("tool_calls")[0].GetProperty("name").GetString());
        Assert.Equal(3, turns[2].GetProperty("tool_calls")[0].GetProperty("arguments").GetProperty("bedrooms").GetInt32());
        Assert.True(turns[2].GetProperty("interrupted").GetBoolean());
        Assert.Equal(790, turns[2].GetProperty("latency").GetProperty("first_audio_ms").GetInt32());
        Assert.Equal(420, turns[2].GetProperty("latency").GetProperty("llm_first_token_ms").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, turns[0].GetProperty("latency").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, turns[0].GetProperty("tool_calls").ValueKind);
        Assert.Equal("Agent: Thanks for calling!\nCaller: Three bedrooms in Austin?\nAgent: I found two homes", detail.GetProperty("transcript_text").GetString());
        Assert.True(detail.GetProperty("has_recording").GetBoolean());
        Assert.Equal($"/calls/{call.Id}/recording", detail.GetProperty("recording_url").GetString());
        Assert.Equal(118, detail.GetProperty("recording_duration_seconds").GetInt32());
    }
}
