using System.Text.Json;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;

namespace EstateVoice.Server.Tests.Features.Calls;

/// <summary>The call page shows latency only on agent replies, and never a figure that is not a reply latency.</summary>
public sealed class CallTurnLatencyTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Only_agent_replies_carry_latency_and_implausible_figures_are_left_out(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var call = await world.NewCallAsync(null, world.AgentA);
        await app.WithDbAsync(async d =>
        {
            d.CallTurns.AddRange(
                new CallTurn { CallId = call.Id, Sequence = 1, Speaker = Speaker.Caller, Text = "Hi", StartMs = 0, EndMs = 900, SttLatencyMs = 140 },
                new CallTurn
                {
                    CallId = call.Id, Sequence = 2, Speaker = Speaker.Agent, Text = "Hello!", StartMs = 1200, EndMs = 2000,
                    SttLatencyMs = 150, LlmFirstTokenMs = 400, TtsFirstByteMs = 520, FirstAudioMs = 600,
                },
                // An idle prompt saved by an older version with another reply's clock.
                new CallTurn { CallId = call.Id, Sequence = 3, Speaker = Speaker.Agent, Text = "Are you still there?", StartMs = 9000, EndMs = 10000, TtsFirstByteMs = 1583347 });
            await d.SaveChangesAsync();
        });
        var client = await app.ClientForAsync(world.AgentA);

        var turns = (await client.GetJsonAsync($"/calls/{call.Id}")).GetProperty("turns").EnumerateArray().ToList();

        Assert.Equal(JsonValueKind.Null, turns[0].GetProperty("latency").ValueKind);
        Assert.Equal(520, turns[1].GetProperty("latency").GetProperty("tts_first_byte_ms").GetInt32());
        Assert.Equal(JsonValueKind.Null, turns[2].GetProperty("latency").ValueKind);
    }
}
