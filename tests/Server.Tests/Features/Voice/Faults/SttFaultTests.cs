using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Tests.Fakes;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using static EstateVoice.Server.Tests.Features.Voice.Faults.CloudVoiceApp;

namespace EstateVoice.Server.Tests.Features.Voice.Faults;

/// <summary>Deepgram live STT failing mid-call, over real sockets: the caller is still heard, or told, never left in silence.</summary>
public sealed class SttFaultTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Answer = "I can help with that, Maria.";
    private static string Line(string fixture) => AudioFixtures.Transcripts[fixture];

    [Fact]
    public async Task Socket_dropped_mid_utterance_reconnects_replays_the_audio_and_the_answer_is_prompt()
    {
        await using var cloud = await StartAsync([Line("caller-name")]);
        cloud.Llm.Replies.Enqueue(new FakeChatReply.Text("I can help ", "with that, Maria."));
        cloud.Deepgram.ListenFaults.Enqueue(new ProviderFault.DropAfterSpeechMs(500));

        await AssertTurnIsHeardAndAnsweredAsync(cloud, expectedConnections: 2);
    }

    [Fact]
    public async Task A_500_on_the_first_connection_is_retried_and_the_caller_is_still_heard()
    {
        await using var cloud = await StartAsync([Line("caller-name")]);
        cloud.Llm.Replies.Enqueue(new FakeChatReply.Text(Answer));
        cloud.Deepgram.ListenFaults.Enqueue(new ProviderFault.Refuse(500));

        await AssertTurnIsHeardAndAnsweredAsync(cloud, expectedConnections: 2);
    }

    [Fact]
    public async Task A_handshake_stalled_for_10s_is_abandoned_and_a_new_connection_hears_the_caller()
    {
        await using var cloud = await StartAsync([Line("caller-name")]);
        cloud.Llm.Replies.Enqueue(new FakeChatReply.Text(Answer));
        cloud.Deepgram.ListenFaults.Enqueue(new ProviderFault.Stall(TimeSpan.FromSeconds(10)));

        await AssertTurnIsHeardAndAnsweredAsync(cloud, expectedConnections: 2);
    }

    [Fact]
    public async Task An_outage_that_lasts_tells_the_caller_at_once_then_ends_the_call_as_failed()
    {
        await using var cloud = await StartAsync([Line("caller-name")]);
        cloud.Llm.Replies.Enqueue(new FakeChatReply.Text(Answer));
        cloud.Deepgram.ListenFaults.Enqueue(new ProviderFault.DropAfterSpeechMs(300));
        cloud.Deepgram.RefuseReconnects = true;

        // Give-up is 4 s after the drop here: the agent says goodbye and hangs up by itself.
        var agent = await AssertToldThenEndedAsFailedAsync(cloud);
        Assert.DoesNotContain(agent, t => t.Contains(Answer));
        Assert.Empty(cloud.App.CallControl.Transfers);
        Assert.True(cloud.Deepgram.Connections >= 3, $"{cloud.Deepgram.Connections} connections: the session kept trying");
    }

    [Fact]
    public async Task A_socket_that_goes_silent_mid_utterance_is_replaced_and_the_answer_is_prompt()
    {
        await using var cloud = await StartAsync([Line("caller-name")]);
        cloud.Llm.Replies.Enqueue(new FakeChatReply.Text(Answer));
        // Open, taking the caller's audio, answering nothing: before, the caller waited for the idle prompt.
        cloud.Deepgram.ListenFaults.Enqueue(new ProviderFault.GoSilentAfterSpeechMs(500));

        await AssertTurnIsHeardAndAnsweredAsync(cloud, expectedConnections: 2);
    }

    [Fact]
    public async Task A_socket_that_goes_silent_after_an_interim_is_asked_to_finalize_then_replaced_and_the_whole_line_is_heard()
    {
        // Before, the turn ended on the interim ("My name") 0.8 s after the caller stopped: the stall limit (1.5 s of
        // audio after speech) came later than the final wait. A Finalize at the VAD's stop must be answered at once.
        await using var cloud = await StartAsync([Line("caller-name")]);
        cloud.Llm.Replies.Enqueue(new FakeChatReply.Text(Answer));
        cloud.Deepgram.ListenFaults.Enqueue(new ProviderFault.GoSilentAfterFirstInterim());

        await AssertTurnIsHeardAndAnsweredAsync(cloud, expectedConnections: 2);
        Assert.Contains("Finalize", cloud.Deepgram.ControlMessages);
    }

    [Fact]
    public async Task A_slow_replacement_after_an_interim_still_brings_the_whole_line()
    {
        // The new socket takes 1.2 s to open (a far region, a slow handshake): the turn must wait for the replayed
        // final while speech-to-text recovers, not end on the interim when the 0.8 s final wait runs out.
        await using var cloud = await StartAsync([Line("caller-name")], s =>
        {
            s["Deepgram:ConnectTimeout"] = "00:00:03";
            s["Voice:SttOutageNoticeMs"] = "3000";
        });
        cloud.Llm.Replies.Enqueue(new FakeChatReply.Text(Answer));
        cloud.Deepgram.ListenFaults.Enqueue(new ProviderFault.GoSilentAfterFirstInterim());
        cloud.Deepgram.ListenFaults.Enqueue(new ProviderFault.Stall(TimeSpan.FromMilliseconds(1200)));

        await AssertTurnIsHeardAndAnsweredAsync(cloud, expectedConnections: 2);
    }

    [Fact]
    public async Task Sockets_that_all_go_silent_tell_the_caller_then_end_the_call_as_failed()
    {
        // The production stall limit (1.5 s) and notice delay (2 s): the outage is dated from when the caller began
        // waiting for an answer, so the notice comes VAD silence + 2 s after they stop (it came after 0.4 + 1.5 + 2 s).
        await using var cloud = await StartAsync([Line("caller-name")], s => s["Voice:SttOutageNoticeMs"] = "2000");
        cloud.Llm.Replies.Enqueue(new FakeChatReply.Text(Answer));
        cloud.Deepgram.ListenFaults.Enqueue(new ProviderFault.GoSilentAfterSpeechMs(300));
        for (var i = 0; i < 30; i++) cloud.Deepgram.ListenFaults.Enqueue(new ProviderFault.GoSilentAfterSpeechMs(0));

        await AssertToldThenEndedAsFailedAsync(cloud);
        Assert.Equal(0, cloud.Llm.ScriptedRequests);
        Assert.True(cloud.Deepgram.Connections >= 2, $"{cloud.Deepgram.Connections} connections: a silent socket was replaced");
    }

    /// <summary>
    /// The caller says one thing that never reaches the agent: they are told at once that they cannot be heard, then
    /// the agent says goodbye and the call ends as failed by speech-to-text, with none of their words saved. Returns
    /// the agent's lines.
    /// </summary>
    private async Task<string[]> AssertToldThenEndedAsFailedAsync(CloudVoiceApp cloud)
    {
        var (caller, line, callId) = await cloud.CallAsync();
        await using (caller)
        await using (line)
        {
            var speechEnd = await line.SayAsync(AudioFixtures.Load("caller-name"));
            await cloud.WaitForAgentTurnAsync(caller, callId, "trouble hearing you");
            AssertNoLongDeadAir(caller, speechEnd, output);

            await caller.WaitUntilAsync(() => cloud.App.CallEndedAsync(callId), 15000);
            var call = await cloud.App.CallRowAsync(callId);
            Assert.Equal(CallStatus.Failed, call.Status);
            Assert.StartsWith("stt:", call.FailureReason);
            Assert.Empty(CallerLines(call));
            var agent = AgentLines(call);
            Assert.Contains("trouble hearing you", agent[1]);
            Assert.Contains("can't hear you", agent[^1]);
            return agent;
        }
    }

    /// <summary>The caller says one thing; it must reach the agent whole and the answer must start within 3 s.</summary>
    private async Task AssertTurnIsHeardAndAnsweredAsync(CloudVoiceApp cloud, int expectedConnections)
    {
        var (caller, line, callId) = await cloud.CallAsync();
        await using (caller)
        await using (line)
        {
            var speechEnd = await line.SayAsync(AudioFixtures.Load("caller-name"));
            await cloud.WaitForAgentTurnAsync(caller, callId, Answer);
            AssertNoLongDeadAir(caller, speechEnd, output);

            var call = await cloud.HangUpAsync(caller, line, callId);
            Assert.Equal([Line("caller-name")], CallerLines(call));
            Assert.Equal(Answer, AgentLines(call)[^1]);
            Assert.Equal(CallStatus.Completed, call.Status);
            Assert.Equal(CallOutcome.InformationProvided, call.Outcome);
            Assert.Null(call.FailureReason);
            Assert.Equal(expectedConnections, cloud.Deepgram.Connections);
            Assert.Equal(1, cloud.Llm.ScriptedRequests);
        }
    }
}
