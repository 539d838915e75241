using System.Collections.Concurrent;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Tests.Voice.Fakes;
using Microsoft.Extensions.AI;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Voice;

/// <summary>
/// Barge-in over a real media stream: caller sound over the agent pauses the reply at once (Twilio <c>clear</c>),
/// then either interrupts it for real (long speech, or words that are not a backchannel) or resumes it.
/// </summary>
public sealed class MediaStreamBargeInTests
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

    private static VoiceAppFactory App(ScriptedSpeechToText stt, LongWindedChat chat) =>
        new() { Stt = stt, Tts = new ToneTextToSpeech(msPerWord: MsPerWord), Chat = chat };

    /// <summary>Greeting, then "Tell me about Austin." and the start of the long reply; returns when the reply's first audio arrived.</summary>
    private static async Task<double> AskAboutAustinAsync(VoiceAppFactory app, FakeTwilioCaller caller, int callId)
    {
        await caller.WaitForAgentToFinishAsync();
        var askedAt = caller.NowMs;
        await caller.SayAsync(AudioFixtures.Tone(500), trailingSilenceMs: 400, speed: 4);
        await caller.WaitUntilAsync(async () => await app.TurnCountAsync(callId) >= 2);
        await caller.WaitUntilAsync(() => caller.Media.Any(m => m.AtMs > askedAt));
        return caller.Media.First(m => m.AtMs > askedAt).AtMs;
    }

    [Fact]
    public async Task Caller_speech_over_the_agent_clears_at_onset_then_interrupts_keeping_what_was_heard_and_the_words_are_answered()
    {
        var stt = new ScriptedSpeechToText("Tell me about Austin.", "Stop, I want a condo.");
        var chat = new LongWindedChat();
        await using var app = App(stt, chat);
        var (caller, callId) = await app.CallAsync();
        double replyStart, bargeIn;
        await using (caller)
        {
            replyStart = await AskAboutAustinAsync(app, caller, callId);
            // Let the long reply play for about a second and a half, then talk over it for a second.
            await Task.Delay(1500);
            bargeIn = caller.NowMs;
            await caller.SayAsync(AudioFixtures.Tone(1000), trailingSilenceMs: 400, speed: 1);
            await caller.WaitUntilAsync(() => chat.Requests.Count >= 2);
            await caller.WaitUntilAsync(async () => await app.TurnCountAsync(callId) >= 4);
        }

        // One clear, at the onset (≈ 60 ms; the benchmark measures it) — not after the 600 ms it takes to decide.
        var clear = Assert.Single(caller.Clears);
        Assert.True(clear - bargeIn < 400, $"clear {clear - bargeIn:F0} ms after the caller started talking");

        var turns = (await app.CallRowAsync(callId)).Turns;
        var interrupted = Assert.Single(turns, t => t.Interrupted);
        Assert.Equal(Speaker.Agent, interrupted.Speaker);
        Assert.StartsWith("We have many lovely homes", interrupted.Text);
        // What had played when the clear went out (one word per 100 ms), not what played until the decision.
        var heardWords = interrupted.Text.Split(' ').Length;
        var playedWords = (int)((clear - replyStart) / MsPerWord);
        Assert.InRange(heardWords, playedWords - 3, playedWords + 1);
        Assert.Contains(turns, t => t.Speaker == Speaker.Caller && t.Text == "Stop, I want a condo.");

        // The agent answers the caller's words with a history trimmed to what was heard.
        var second = chat.Requests.ElementAt(1);
        Assert.Equal((ChatRole.User, "Stop, I want a condo."), second[^1]);
        Assert.Equal((ChatRole.Assistant, interrupted.Text), second[^2]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(150)] // the final comes after the 200 ms resume silence: the resume waits for it
    public async Task A_backchannel_pauses_the_agent_at_onset_then_the_reply_resumes_where_it_was_cut_and_is_saved_whole(int finalDelayMs)
    {
        var stt = new ScriptedSpeechToText("Tell me about Austin.", "uh-huh") { FinalDelay = TimeSpan.FromMilliseconds(finalDelayMs) };
        var chat = new LongWindedChat();
        await using var app = App(stt, chat);
        var (caller, callId) = await app.CallAsync();
        double replyStart, onset;
        var uhHuh = AudioFixtures.Load("backchannel"); // ≈ 450 ms
        await using (caller)
        {
            replyStart = await AskAboutAustinAsync(app, caller, callId);
            await Task.Delay(800);
            onset = caller.NowMs;
            await caller.SendAudioAsync([.. uhHuh, .. AudioFixtures.Silence(500)], speed: 1);
            await caller.WaitUntilAsync(async () => await app.TurnCountAsync(callId) >= 3, 10000);
        }

        var clear = Assert.Single(caller.Clears);
        Assert.True(clear - onset < 400, $"clear {clear - onset:F0} ms after the caller started talking");
        // Resumed once the "uh-huh" had ended (and the resume silence after it had passed), not before.
        var resumedAt = caller.Media.First(m => m.AtMs > clear).AtMs;
        Assert.True(resumedAt - onset >= uhHuh.Length / 8.0 + 150, $"resumed {resumedAt - onset:F0} ms after the onset");
        // Every word reached the caller; only the few frames the clear discarded were sent twice.
        var replyBytes = caller.Media.Where(m => m.AtMs >= replyStart).Sum(m => m.Bytes);
        var expected = LongWindedChat.Words * MsPerWord * 8;
        Assert.InRange(replyBytes, expected, expected + 6 * 160);

        var turns = (await app.CallRowAsync(callId)).Turns.ToArray();
        Assert.DoesNotContain(turns, t => t.Interrupted);
        Assert.DoesNotContain(turns, t => t.Text == "uh-huh");
        Assert.Equal(LongWindedChat.Reply.Trim(), turns[2].Text);
        Assert.Single(chat.Requests); // the backchannel was not answered
    }

    /// <summary>
    /// The scripted recogniser returns its final 300 ms after the speech (its endpointing) plus the delay: always
    /// after the 200 ms resume silence, when the reply used to resume for a moment before the words interrupted it.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(150)]
    public async Task A_short_no_over_the_agent_is_not_a_backchannel_its_late_words_interrupt_the_held_reply_and_are_answered(int finalDelayMs)
    {
        var stt = new ScriptedSpeechToText("Tell me about Austin.", "No.") { FinalDelay = TimeSpan.FromMilliseconds(finalDelayMs) };
        var chat = new LongWindedChat();
        await using var app = App(stt, chat);
        var (caller, callId) = await app.CallAsync();
        chat.Clock = () => caller.NowMs;
        await using (caller)
        {
            await AskAboutAustinAsync(app, caller, callId);
            await Task.Delay(1500);
            // 300 ms: too short for the VAD to call it an interruption; its words decide.
            await caller.SayAsync(AudioFixtures.Tone(300), trailingSilenceMs: 800, speed: 1);
            await caller.WaitUntilAsync(() => chat.Requests.Count >= 2);
            // The answer to "No." plays to its end (hanging up in the middle of a reply is another story).
            await caller.WaitUntilAsync(async () => await app.TurnCountAsync(callId) >= 5, 15000);
        }

        // One clear, and nothing of the held reply after it: the next audio is the answer to "No.".
        var clear = Assert.Single(caller.Clears);
        var answeredAt = chat.RequestedAtMs.ElementAt(1);
        Assert.DoesNotContain(caller.Media, m => m.AtMs > clear && m.AtMs < answeredAt);
        var turns = (await app.CallRowAsync(callId)).Turns;
        Assert.Equal(LongWindedChat.Reply.Trim(), turns.Last().Text);
        var interrupted = Assert.Single(turns, t => t.Interrupted);
        Assert.StartsWith("We have many lovely homes", interrupted.Text);
        Assert.NotEqual(LongWindedChat.Reply.Trim(), interrupted.Text);
        Assert.Contains(turns, t => t.Speaker == Speaker.Caller && t.Text == "No.");
        var second = chat.Requests.ElementAt(1);
        Assert.Equal((ChatRole.User, "No."), second[^1]);
        Assert.Equal((ChatRole.Assistant, interrupted.Text), second[^2]);
    }

    [Fact]
    public async Task Noise_without_words_over_the_agent_pauses_it_then_the_reply_resumes_after_the_bounded_wait()
    {
        // No scripted line for the noise: the recogniser hears it but returns no words.
        var stt = new ScriptedSpeechToText("Tell me about Austin.");
        var chat = new LongWindedChat();
        await using var app = App(stt, chat);
        var (caller, callId) = await app.CallAsync();
        double replyStart, onset;
        await using (caller)
        {
            replyStart = await AskAboutAustinAsync(app, caller, callId);
            await Task.Delay(800);
            onset = caller.NowMs;
            await caller.SendAudioAsync([.. AudioFixtures.Tone(200), .. AudioFixtures.Silence(900)], speed: 1);
            await caller.WaitUntilAsync(async () => await app.TurnCountAsync(callId) >= 3, 10000);
        }

        var clear = Assert.Single(caller.Clears);
        // Held for words that never came: the bounded wait (600 ms after the sound), not the 200 ms resume silence.
        var resumedAt = caller.Media.First(m => m.AtMs > clear).AtMs;
        Assert.True(resumedAt - onset >= 200 + 500, $"resumed {resumedAt - onset:F0} ms after the onset");
        var replyBytes = caller.Media.Where(m => m.AtMs >= replyStart).Sum(m => m.Bytes);
        var expected = LongWindedChat.Words * MsPerWord * 8;
        Assert.InRange(replyBytes, expected, expected + 6 * 160);
        var turns = (await app.CallRowAsync(callId)).Turns.ToArray();
        Assert.DoesNotContain(turns, t => t.Interrupted);
        Assert.Equal(LongWindedChat.Reply.Trim(), turns[2].Text);
        Assert.Single(chat.Requests);
    }
}
