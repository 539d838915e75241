using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Tests.Fakes;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using static EstateVoice.Server.Tests.Features.Voice.Faults.CloudVoiceApp;

namespace EstateVoice.Server.Tests.Features.Voice.Faults;

/// <summary>Deepgram Aura failing mid-call over real HTTP: the sentence is asked for again on a new request; a dead provider never stalls the call.</summary>
public sealed class TtsFaultTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Answer = "We have three homes in Austin under your budget.";
    private static string Line(string fixture) => AudioFixtures.Transcripts[fixture];

    [Fact]
    public async Task A_connection_dropped_mid_sentence_is_retried_on_a_new_request()
    {
        await AssertSentenceRecoversAsync(new ProviderFault.DropAfterBytes(800));
    }

    [Fact]
    public async Task A_500_is_retried()
    {
        await AssertSentenceRecoversAsync(new ProviderFault.Refuse(500));
    }

    [Fact]
    public async Task A_10s_stall_before_the_first_byte_is_abandoned_and_retried()
    {
        await AssertSentenceRecoversAsync(new ProviderFault.Stall(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_provider_that_stays_down_never_stalls_the_call()
    {
        await using var cloud = await StartAsync([Line("caller-name")]);
        cloud.Llm.Replies.Enqueue(new FakeChatReply.Text(Answer));
        var (caller, line, callId) = await cloud.CallAsync();
        await using (caller)
        await using (line)
        {
            cloud.Deepgram.SpeakStatusCode = 503;
            var speechEnd = await line.SayAsync(AudioFixtures.Load("caller-name"));
            // With espeak-ng installed it says the sentence; without, the sentence is skipped and the caller is
            // handed to a person with a phrase whose audio was cached at start-up.
            var espeak = EspeakInstalled();
            await cloud.WaitForAgentTurnAsync(caller, callId, espeak ? Answer : "Connecting you");
            AssertNoLongDeadAir(caller, speechEnd, output);

            var call = await cloud.HangUpAsync(caller, line, callId);
            if (espeak)
            {
                Assert.Equal(Answer, AgentLines(call)[^1]);
                Assert.Null(call.FailureReason);
            }
            else
            {
                Assert.Single(cloud.App.CallControl.Transfers);
                Assert.Equal(CallOutcome.Transferred, call.Outcome);
                Assert.StartsWith("tts:", call.FailureReason);
                Assert.DoesNotContain(AgentLines(call), t => t.Contains("three homes")); // never heard, so not saved as said
            }
        }
    }

    private static bool EspeakInstalled() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, "espeak-ng")));

    private async Task AssertSentenceRecoversAsync(ProviderFault fault)
    {
        await using var cloud = await StartAsync([Line("caller-name")]);
        cloud.Llm.Replies.Enqueue(new FakeChatReply.Text(Answer));
        var (caller, line, callId) = await cloud.CallAsync();
        await using (caller)
        await using (line)
        {
            // Armed after the greeting: the fixed phrases were cached at start-up, so this is the answer's request.
            cloud.Deepgram.SpeakFaults.Enqueue(fault);
            var speechEnd = await line.SayAsync(AudioFixtures.Load("caller-name"));
            await cloud.WaitForAgentTurnAsync(caller, callId, Answer);
            AssertNoLongDeadAir(caller, speechEnd, output);

            var call = await cloud.HangUpAsync(caller, line, callId);
            Assert.Equal(Answer, AgentLines(call)[^1]);
            Assert.Equal(2, cloud.Deepgram.SpeakRequests.Count(r => r.Text == Answer));
            Assert.Equal(1, cloud.Deepgram.SpeakFaultsPlayed);
            Assert.Null(call.FailureReason);
            Assert.Equal((CallStatus.Completed, CallOutcome.InformationProvided), (call.Status, call.Outcome));
            Assert.Empty(cloud.App.CallControl.Transfers);
        }
    }
}
