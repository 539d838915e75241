using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using EstateVoice.Server.Tests.Infrastructure;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice;

/// <summary>
/// The latency figures saved on agent turns: measured from the caller's end of speech for a reply (with or without
/// tool calls), and absent (null, not garbage) for words no caller turn asked for — the greeting, an idle prompt.
/// </summary>
public sealed class TurnLatencyTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Replies_carry_ordered_latencies_and_the_greeting_and_idle_prompt_carry_none(Db db)
    {
        // "Hello there" gives the offline agent nothing to record (a plain reply); the buyer line makes it call update_lead first.
        var stt = new ScriptedSpeechToText("Hello there.", AudioFixtures.Transcripts["buyer-intent"]);
        await using var app = await VoiceAppFactory.CreateAsync(db, stt, new ToneTextToSpeech(msPerWord: 10));
        app.Settings["Voice:IdlePromptSeconds"] = "2";
        var (caller, callId) = await app.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("caller-name"));
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("buyer-intent"));
            // Then silence: the idle prompt comes.
            await caller.WaitUntilAsync(async () => (await app.CallRowAsync(callId)).Turns.Any(t => t.Text == "Are you still there?"), 15000);
        }

        var agent = (await app.CallRowAsync(callId)).Turns.Where(t => t.Speaker == Speaker.Agent).ToArray();
        Assert.Equal(4, agent.Length);
        var (greeting, plain, withTool, idle) = (agent[0], agent[1], agent[2], agent[3]);

        AssertNoLatency(greeting);
        AssertNoLatency(idle);
        Assert.Equal("Are you still there?", idle.Text);

        Assert.Null(plain.ToolCallsJson);
        AssertOrderedLatency(plain);
        Assert.Contains("update_lead", withTool.ToolCallsJson);
        AssertOrderedLatency(withTool);
    }

    private static void AssertNoLatency(CallTurn turn) =>
        Assert.Equal((null, null, null, null), (turn.SttLatencyMs, turn.LlmFirstTokenMs, turn.TtsFirstByteMs, turn.FirstAudioMs));

    /// <summary>End of speech → final transcript ≤ first token ≤ first synthesised byte ≤ first audio sent, all within reason.</summary>
    private static void AssertOrderedLatency(CallTurn turn)
    {
        var figures = new[] { turn.SttLatencyMs, turn.LlmFirstTokenMs, turn.TtsFirstByteMs, turn.FirstAudioMs };
        Assert.All(figures, f => Assert.InRange(f ?? -1, 0, 10_000));
        Assert.True(figures.SequenceEqual(figures.Order()), $"{turn.Text}: {string.Join(" / ", figures)}");
    }
}
