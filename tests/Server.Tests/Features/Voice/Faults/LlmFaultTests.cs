using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Tests.Fakes;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using static EstateVoice.Server.Tests.Features.Voice.Faults.CloudVoiceApp;

namespace EstateVoice.Server.Tests.Features.Voice.Faults;

/// <summary>Azure OpenAI failing mid-call over real HTTP streams: a retry when nothing was said yet, otherwise the words that came and an apology.</summary>
public sealed class LlmFaultTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Answer = "We have three homes in Austin under your budget.";
    private const string NotUnderstood = "I'm sorry, I didn't catch that. Could you say it again?";
    private const string CutOff = "Sorry, I lost my train of thought. Could you ask me that again?";
    private static string Line(string fixture) => AudioFixtures.Transcripts[fixture];

    [Fact]
    public async Task A_stream_cut_half_way_speaks_the_words_that_came_then_apologises()
    {
        await using var cloud = await StartAsync([Line("caller-name")]);
        cloud.Llm.Replies.Enqueue(new FakeChatReply.CutAfter("Nice to meet you, Maria. ", "The first home I"));
        var (caller, line, callId) = await cloud.CallAsync();
        await using (caller)
        await using (line)
        {
            var speechEnd = await line.SayAsync(AudioFixtures.Load("caller-name"));
            await cloud.WaitForAgentTurnAsync(caller, callId, "train of thought");
            AssertNoLongDeadAir(caller, speechEnd, output);

            var call = await cloud.HangUpAsync(caller, line, callId);
            // One agent turn: what arrived, then the apology; the history the agent sees next says the same.
            Assert.Equal("Nice to meet you, Maria. The first home I " + CutOff, AgentLines(call)[^1]);
            Assert.Equal(1, cloud.Llm.ScriptedRequests); // words were spoken: asking again would repeat them
            Assert.StartsWith("llm:", call.FailureReason);
            Assert.Equal(CallStatus.Failed, call.Status); // the call ended on the failure (nothing answered after it)
        }
    }

    [Fact]
    public async Task A_500_is_retried_at_once_and_the_caller_hears_only_the_answer()
    {
        await using var cloud = await StartAsync([Line("caller-name")]);
        cloud.Llm.Replies.Enqueue(new FakeChatReply.Failure(500));
        cloud.Llm.Replies.Enqueue(new FakeChatReply.Text("We have three homes ", "in Austin under your budget."));
        var (caller, line, callId) = await cloud.CallAsync();
        await using (caller)
        await using (line)
        {
            var speechEnd = await line.SayAsync(AudioFixtures.Load("caller-name"));
            await cloud.WaitForAgentTurnAsync(caller, callId, Answer);
            AssertNoLongDeadAir(caller, speechEnd, output);

            var call = await cloud.HangUpAsync(caller, line, callId);
            Assert.Equal(Answer, AgentLines(call)[^1]);
            Assert.Equal(2, cloud.Llm.ScriptedRequests);
            Assert.Null(call.FailureReason);
            Assert.Equal((CallStatus.Completed, CallOutcome.InformationProvided), (call.Status, call.Outcome));
        }
    }

    [Fact]
    public async Task A_500_on_the_retry_too_asks_the_caller_to_repeat_and_the_repeat_is_answered()
    {
        await using var cloud = await StartAsync([Line("caller-name"), Line("goodbye")]);
        cloud.Llm.Replies.Enqueue(new FakeChatReply.Failure(500));
        cloud.Llm.Replies.Enqueue(new FakeChatReply.Failure(500));
        cloud.Llm.Replies.Enqueue(new FakeChatReply.Text(Answer));
        var (caller, line, callId) = await cloud.CallAsync();
        await using (caller)
        await using (line)
        {
            var speechEnd = await line.SayAsync(AudioFixtures.Load("caller-name"));
            await cloud.WaitForAgentTurnAsync(caller, callId, "didn't catch that");
            AssertNoLongDeadAir(caller, speechEnd, output);

            speechEnd = await line.SayAsync(AudioFixtures.Load("goodbye"));
            await cloud.WaitForAgentTurnAsync(caller, callId, Answer);
            AssertNoLongDeadAir(caller, speechEnd, output);

            var call = await cloud.HangUpAsync(caller, line, callId);
            Assert.Equal([NotUnderstood, Answer], AgentLines(call)[1..]);
            Assert.Equal([Line("caller-name"), Line("goodbye")], CallerLines(call));
            Assert.Equal(3, cloud.Llm.ScriptedRequests);
            // The failure is on record, but the call went on and was answered: it completed.
            Assert.StartsWith("llm:", call.FailureReason);
            Assert.Equal((CallStatus.Completed, CallOutcome.InformationProvided), (call.Status, call.Outcome));
        }
    }

    [Fact]
    public async Task A_10s_stall_before_the_first_token_is_abandoned_with_a_filler_and_retried()
    {
        await using var cloud = await StartAsync([Line("caller-name")]);
        cloud.Llm.Replies.Enqueue(new FakeChatReply.Stall(TimeSpan.FromSeconds(10)));
        cloud.Llm.Replies.Enqueue(new FakeChatReply.Text(Answer));
        var (caller, line, callId) = await cloud.CallAsync();
        await using (caller)
        await using (line)
        {
            var speechEnd = await line.SayAsync(AudioFixtures.Load("caller-name"));
            await cloud.WaitForAgentTurnAsync(caller, callId, Answer);
            AssertNoLongDeadAir(caller, speechEnd, output);

            var call = await cloud.HangUpAsync(caller, line, callId);
            Assert.Equal("Sorry, give me a moment. " + Answer, AgentLines(call)[^1]);
            Assert.Equal(2, cloud.Llm.ScriptedRequests);
            Assert.Null(call.FailureReason);
            Assert.Equal(CallStatus.Completed, call.Status);
        }
    }

    [Fact]
    public async Task A_stream_that_stalls_after_its_first_words_is_finished_with_an_apology()
    {
        await using var cloud = await StartAsync([Line("caller-name")]);
        cloud.Llm.Replies.Enqueue(new FakeChatReply.StallAfterFirstChunk("Nice to meet you, Maria. "));
        var (caller, line, callId) = await cloud.CallAsync();
        await using (caller)
        await using (line)
        {
            var speechEnd = await line.SayAsync(AudioFixtures.Load("caller-name"));
            await cloud.WaitForAgentTurnAsync(caller, callId, "train of thought");
            AssertNoLongDeadAir(caller, speechEnd, output);

            var call = await cloud.HangUpAsync(caller, line, callId);
            Assert.Equal("Nice to meet you, Maria. " + CutOff, AgentLines(call)[^1]);
            Assert.Equal(1, cloud.Llm.ScriptedRequests);
        }
    }
}
