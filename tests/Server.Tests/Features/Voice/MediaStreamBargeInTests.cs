using System.Collections.Concurrent;
using EstateVoice.CallSimulator;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Voice.Twilio;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using Microsoft.Extensions.AI;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice;

/// <summary>
/// Barge-in over a real media stream: caller sound over the agent pauses the reply at once (Twilio <c>clear</c>),
/// then either interrupts it for real (long speech, or words that are not a backchannel) or resumes it. The
/// barge-in runs on the caller's audio clock, so these tests measure in caller audio and wait on signals: the
/// caller sends exactly the audio a decision needs and nothing more until the server's answer (a clear, resumed
/// media) arrives. The client's wall clock is only printed, never asserted on.
/// </summary>
public sealed class MediaStreamBargeInTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>An agent that answers anything with three long sentences (about 4.5 s of speech); records what it was sent.</summary>
    private sealed class LongWindedChat : IChatClient
    {
        public const string Reply = "We have many lovely homes in Austin right now at many different prices. " +
            "Some of them are close to the lake and some are close to downtown and the parks. " +
            "I can tell you about each one of them in detail if you would like me to do that.";

        public static int Words => Reply.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

        public ConcurrentQueue<(ChatRole Role, string Text)[]> Requests { get; } = new();
        /// <summary>When each request came, on <see cref="Clock"/> (the fake caller's, once set).</summary>
        public ConcurrentQueue<double> RequestedAtMs { get; } = new();
        public Func<double> Clock { get; set; } = () => 0;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            RequestedAtMs.Enqueue(Clock());
            Requests.Enqueue([.. messages.Select(m => (m.Role, m.Text))]);
            foreach (var word in Reply.Split(' '))
            {
                await Task.Yield();
                yield return new ChatResponseUpdate(ChatRole.Assistant, word + " ");
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }

    private const int MsPerWord = 100;
    private const int FramesPerWord = MsPerWord / 20;

    private static VoiceAppFactory App(ScriptedSpeechToText stt, LongWindedChat chat) =>
        new() { Stt = stt, Tts = new ToneTextToSpeech(msPerWord: MsPerWord), Chat = chat };

    /// <summary>Greeting, then "Tell me about Austin." and the start of the long reply; returns how many media messages came before the reply.</summary>
    private static async Task<int> AskAboutAustinAsync(VoiceAppFactory app, SimulatedCall caller, int callId)
    {
        await caller.WaitForAgentToFinishAsync();
        var before = caller.Media.Count;
        await caller.SayAsync(AudioFixtures.Tone(500), trailingSilenceMs: 400, speed: 4);
        await caller.WaitUntilAsync(async () => await app.TurnCountAsync(callId) >= 2);
        await caller.WaitUntilAsync(() => caller.Media.Count > before);
        return before;
    }

    /// <summary>Waits until the caller has received this many 20 ms frames of the reply (messages carry one or two).</summary>
    private static Task ReplyPlayedAsync(SimulatedCall caller, int replyStart, int frames) =>
        caller.WaitUntilAsync(() => FramesOf(caller, replyStart, caller.Media.Count) >= frames);

    /// <summary>20 ms frames in media messages <paramref name="from"/>..<paramref name="to"/> (exclusive).</summary>
    private static int FramesOf(SimulatedCall caller, int from, int to) =>
        caller.Media.Take(to).Skip(from).Sum(m => m.Bytes) / MuLaw.FrameBytes;

    /// <summary>
    /// Sends caller audio over the agent, then exactly the 160 ms of silence after it that the resume needs (150 ms,
    /// decided on a 20 ms frame), then nothing until the reply's audio comes back after the clear.
    /// </summary>
    private async Task SoundThenResumeAsync(SimulatedCall caller, byte[] sound)
    {
        await caller.SendAudioAsync(sound, speed: 1);
        var soundEnd = caller.NowMs;
        await caller.SendAudioAsync(AudioFixtures.Silence(160), speed: 1);
        await caller.WaitUntilAsync(() => caller.ClearsAfterMedia.Count == 1 && caller.Media.Count > caller.ClearsAfterMedia.First());
        var resumedAt = caller.Media.ElementAt(caller.ClearsAfterMedia.First()).AtMs;
        output.WriteLine($"gap after the sound (client clock, informational): {resumedAt - soundEnd:F0} ms");
    }

    [Fact]
    public async Task Caller_speech_over_the_agent_clears_at_onset_then_interrupts_keeping_what_was_heard_and_the_words_are_answered()
    {
        var stt = new ScriptedSpeechToText("Tell me about Austin.", "Stop, I want a condo.");
        var chat = new LongWindedChat();
        await using var app = App(stt, chat);
        var (caller, callId) = await app.CallAsync();
        int replyStart;
        await using (caller)
        {
            replyStart = await AskAboutAustinAsync(app, caller, callId);
            await ReplyPlayedAsync(caller, replyStart, 75); // about a second and a half of it
            // The onset: three loud frames, 60 ms of caller audio, and not one frame more until the clear is back.
            var onsetAt = caller.NowMs;
            await caller.SendAudioAsync(AudioFixtures.Tone(60), speed: 0);
            await caller.WaitUntilAsync(() => !caller.Clears.IsEmpty);
            output.WriteLine($"onset -> clear (client clock, 60 ms of it sent at once, informational): {caller.Clears.First() - onsetAt:F0} ms");
            // The rest of a second of speech: a real interruption at 600 ms, then its words.
            await caller.SayAsync(AudioFixtures.Tone(940), trailingSilenceMs: 400, speed: 1);
            await caller.WaitUntilAsync(() => chat.Requests.Count >= 2);
            await caller.WaitUntilAsync(async () => await app.TurnCountAsync(callId) >= 4);
        }

        // One clear, at the onset — not after the 600 ms it takes to decide.
        Assert.Single(caller.Clears);
        var turns = (await app.CallRowAsync(callId)).Turns;
        // The barge-in's turn. The answer to the caller's words may still be playing when the caller hangs up: it is
        // saved as interrupted too, after them.
        var wordsAt = Assert.Single(turns, t => t.Speaker == Speaker.Caller && t.Text == "Stop, I want a condo.").Sequence;
        var interrupted = Assert.Single(turns, t => t.Interrupted && t.Sequence < wordsAt);
        Assert.Equal(Speaker.Agent, interrupted.Speaker);
        Assert.StartsWith("We have many lovely homes", interrupted.Text);
        Assert.All(turns.Where(t => t.Interrupted && t.Sequence > wordsAt), t => Assert.Equal(Speaker.Agent, t.Speaker));
        // What had reached the caller when the clear went out (one word per 100 ms; the last ≤ 4 frames sent are
        // still in Twilio's buffer, unheard), not what played until the decision.
        var heardWords = interrupted.Text.Split(' ').Length;
        var receivedWords = FramesOf(caller, replyStart, caller.ClearsAfterMedia.First()) / FramesPerWord;
        Assert.InRange(heardWords, receivedWords - 3, receivedWords + 1);
        Assert.Contains(turns, t => t.Speaker == Speaker.Caller && t.Text == "Stop, I want a condo.");

        // The agent answers the caller's words with a history trimmed to what was heard.
        var second = chat.Requests.ElementAt(1);
        Assert.Equal((ChatRole.User, "Stop, I want a condo."), second[^1]);
        Assert.Equal((ChatRole.Assistant, interrupted.Text), second[^2]);
    }

    [Fact]
    public async Task A_backchannel_pauses_the_agent_then_the_reply_resumes_150_ms_after_it_where_it_was_cut_and_is_saved_whole()
    {
        var stt = new ScriptedSpeechToText("Tell me about Austin.", "uh-huh");
        var chat = new LongWindedChat();
        await using var app = App(stt, chat);
        var (caller, callId) = await app.CallAsync();
        int replyStart;
        await using (caller)
        {
            replyStart = await AskAboutAustinAsync(app, caller, callId);
            await ReplyPlayedAsync(caller, replyStart, 40);
            // "uh-huh" (≈ 450 ms) and 160 ms of silence: the reply is back before the recogniser's final (300 ms).
            await SoundThenResumeAsync(caller, AudioFixtures.Load("backchannel"));
            await caller.SendAudioAsync(AudioFixtures.Silence(600), speed: 1);
            await caller.WaitUntilAsync(async () => await app.TurnCountAsync(callId) >= 3, 10000);
        }

        Assert.Single(caller.Clears);
        // Every word reached the caller; only the few frames the clear discarded were sent twice.
        var replyBytes = caller.Media.Skip(replyStart).Sum(m => m.Bytes);
        var expected = LongWindedChat.Words * MsPerWord * 8;
        Assert.InRange(replyBytes, expected, expected + 6 * 160);

        var turns = (await app.CallRowAsync(callId)).Turns.ToArray();
        Assert.DoesNotContain(turns, t => t.Interrupted);
        Assert.DoesNotContain(turns, t => t.Text == "uh-huh");
        Assert.Equal(LongWindedChat.Reply.Trim(), turns[2].Text);
        Assert.Single(chat.Requests); // the backchannel was not answered
    }

    /// <summary>
    /// "No, wait." is too short for the VAD to call it an interruption and its final comes at the recogniser's
    /// endpointing (300 ms after it), after the reply resumed: the words interrupt the resumed reply then.
    /// </summary>
    [Fact]
    public async Task A_short_no_wait_over_the_agent_resumes_it_then_its_late_words_interrupt_the_reply_and_are_answered()
    {
        var stt = new ScriptedSpeechToText("Tell me about Austin.", "No, wait.");
        var chat = new LongWindedChat();
        await using var app = App(stt, chat);
        var (caller, callId) = await app.CallAsync();
        chat.Clock = () => caller.NowMs;
        await using (caller)
        {
            var replyStart = await AskAboutAustinAsync(app, caller, callId);
            await ReplyPlayedAsync(caller, replyStart, 75);
            await SoundThenResumeAsync(caller, AudioFixtures.Tone(300));
            await caller.SendAudioAsync(AudioFixtures.Silence(800), speed: 1);
            await caller.WaitUntilAsync(() => chat.Requests.Count >= 2);
            // The answer to "No, wait." plays to its end (hanging up in the middle of a reply is another story).
            await caller.WaitUntilAsync(async () => await app.TurnCountAsync(callId) >= 5, 15000);
        }

        // The pause's clear, then the interruption's; nothing of the old reply after it: the next audio is the answer.
        Assert.Equal(2, caller.Clears.Count);
        var answeredAt = chat.RequestedAtMs.ElementAt(1);
        Assert.DoesNotContain(caller.Media, m => m.AtMs > caller.Clears.Last() && m.AtMs < answeredAt);
        var turns = (await app.CallRowAsync(callId)).Turns;
        Assert.Equal(LongWindedChat.Reply.Trim(), turns.Last().Text);
        var interrupted = Assert.Single(turns, t => t.Interrupted);
        Assert.StartsWith("We have many lovely homes", interrupted.Text);
        Assert.NotEqual(LongWindedChat.Reply.Trim(), interrupted.Text);
        Assert.Contains(turns, t => t.Speaker == Speaker.Caller && t.Text == "No, wait.");
        var second = chat.Requests.ElementAt(1);
        Assert.Equal((ChatRole.User, "No, wait."), second[^1]);
        Assert.Equal((ChatRole.Assistant, interrupted.Text), second[^2]);
    }

    [Fact]
    public async Task A_cough_without_words_over_the_agent_pauses_it_then_the_reply_resumes_150_ms_after_it()
    {
        // No scripted line for the cough: the recogniser hears it but returns no words.
        var stt = new ScriptedSpeechToText("Tell me about Austin.");
        var chat = new LongWindedChat();
        await using var app = App(stt, chat);
        var (caller, callId) = await app.CallAsync();
        int replyStart;
        await using (caller)
        {
            replyStart = await AskAboutAustinAsync(app, caller, callId);
            await ReplyPlayedAsync(caller, replyStart, 40);
            await SoundThenResumeAsync(caller, AudioFixtures.Tone(200));
            await caller.SendAudioAsync(AudioFixtures.Silence(600), speed: 1);
            await caller.WaitUntilAsync(async () => await app.TurnCountAsync(callId) >= 3, 10000);
        }

        Assert.Single(caller.Clears);
        var replyBytes = caller.Media.Skip(replyStart).Sum(m => m.Bytes);
        var expected = LongWindedChat.Words * MsPerWord * 8;
        Assert.InRange(replyBytes, expected, expected + 6 * 160);
        var turns = (await app.CallRowAsync(callId)).Turns.ToArray();
        Assert.DoesNotContain(turns, t => t.Interrupted);
        Assert.Equal(LongWindedChat.Reply.Trim(), turns[2].Text);
        Assert.Single(chat.Requests);
    }
}
