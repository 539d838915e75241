using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Tests.Voice.Fakes;
using Microsoft.Extensions.AI;

namespace EstateVoice.Server.Tests.Voice;

public sealed class MediaStreamBargeInTests
{
    /// <summary>An agent that answers anything with three long sentences (about 4.5 s of speech).</summary>
    private sealed class LongWindedChat : IChatClient
    {
        public const string Reply = "We have many lovely homes in Austin right now at many different prices. " +
            "Some of them are close to the lake and some are close to downtown and the parks. " +
            "I can tell you about each one of them in detail if you would like me to do that.";

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var word in Reply.Split(' '))
            {
                await Task.Yield();
                yield return new ChatResponseUpdate(ChatRole.Assistant, word + " ");
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }

    private static VoiceAppFactory App(ScriptedSpeechToText stt) =>
        new() { Stt = stt, Tts = new ToneTextToSpeech(msPerWord: 100), Chat = new LongWindedChat() };

    [Fact]
    public async Task Caller_speech_over_the_agent_sends_clear_and_saves_only_what_was_heard_flagged_interrupted()
    {
        var stt = new ScriptedSpeechToText("Tell me about Austin.", "Stop, I want a condo.");
        await using var app = App(stt);
        var (caller, callId) = await app.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAsync(AudioFixtures.Tone(500), trailingSilenceMs: 400, speed: 4);
            // Let the long reply play for about a second and a half, then talk over it for a second.
            await caller.WaitUntilAsync(async () => await app.TurnCountAsync(callId) >= 2);
            await Task.Delay(1500);
            var bargeIn = caller.NowMs;
            await caller.SendAudioAsync(AudioFixtures.Tone(1000), speed: 1);
            await caller.WaitUntilAsync(() => !caller.Clears.IsEmpty, 3000);
            var clearAfter = caller.Clears.First() - bargeIn;
            Assert.True(clearAfter < 600 + 300, $"clear {clearAfter:F0} ms after the caller started talking");
            await caller.WaitUntilAsync(async () => (await app.CallRowAsync(callId)).Turns.Any(t => t.Interrupted));
        }

        var interrupted = Assert.Single((await app.CallRowAsync(callId)).Turns, t => t.Interrupted);
        Assert.Equal(Speaker.Agent, interrupted.Speaker);
        Assert.StartsWith("We have many lovely homes", interrupted.Text);
        Assert.True(interrupted.Text.Length < LongWindedChat.Reply.Length / 2, $"saved: {interrupted.Text}");
    }

    [Fact]
    public async Task A_backchannel_while_the_agent_talks_does_not_interrupt_or_start_a_turn()
    {
        var stt = new ScriptedSpeechToText("Tell me about Austin.", "uh-huh");
        await using var app = App(stt);
        var (caller, callId) = await app.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAsync(AudioFixtures.Tone(500), trailingSilenceMs: 400, speed: 4);
            await caller.WaitUntilAsync(async () => await app.TurnCountAsync(callId) >= 2);
            await Task.Delay(800);
            await caller.SendAudioAsync([.. AudioFixtures.Load("backchannel"), .. AudioFixtures.Silence(500)], speed: 1);
            await caller.WaitUntilAsync(async () => await app.TurnCountAsync(callId) >= 3, 10000);
        }

        Assert.Empty(caller.Clears);
        var turns = (await app.CallRowAsync(callId)).Turns.ToArray();
        Assert.DoesNotContain(turns, t => t.Interrupted);
        Assert.DoesNotContain(turns, t => t.Text == "uh-huh");
        Assert.Equal(LongWindedChat.Reply.Trim(), turns[2].Text);
    }
}
