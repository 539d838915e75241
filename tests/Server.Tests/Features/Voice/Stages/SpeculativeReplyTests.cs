using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Pipeline;
using EstateVoice.Server.Features.Voice.Stages;
using EstateVoice.Server.Features.Voice.Tools;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice.Stages;

/// <summary>
/// Speculative replies through the turn aggregator and the agent: a reply started at the caller's pause is spoken
/// only if the final transcript says the same words, and leaves no trace otherwise. The model is a fake whose
/// answers the test releases (signals, not sleeps), so "earlier" means: out at the final, with no request after it.
/// </summary>
public sealed class SpeculativeReplyTests
{
    private const string Interim = "can I see the house on main street";
    private const string Final = "Can I see the house on Main Street?";

    [Fact]
    public async Task A_final_that_matches_the_interim_speaks_the_held_reply_at_once_without_a_new_request()
    {
        await using var call = await CallAsync();
        await call.PauseAfterAsync(Interim);
        var speculation = await call.Chat.NextAsync();
        Assert.Equal(Interim, speculation.UserText);
        speculation.Reply("Sure, ", "it is free on Saturday.");
        await speculation.Finished.Task.WaitAsync(TimeSpan.FromSeconds(5));
        // Held: the answer is in, but nothing of it goes towards the speaker before the final.
        Assert.Empty(call.Harness.Downstream.OfType<LlmTextFrame>());
        Assert.DoesNotContain(call.Agent.History, m => m.Role == ChatRole.Assistant);

        await call.FinalAsync(Final);
        var words = await call.Harness.WaitForAsync<LlmTextFrame>(2);
        Assert.Equal("Sure, it is free on Saturday.", string.Concat(words.Select(w => w.Text)));
        Assert.Single(call.Chat.Requests); // the reply was out with the final: no request (no first-token wait) after it
        await call.Harness.WaitForAsync<AgentReplyEndedFrame>(1);
        Assert.Equal([(ChatRole.User, Final), (ChatRole.Assistant, "Sure, it is free on Saturday.")],
            call.Agent.History.Skip(1).Select(m => (m.Role, m.Text)));
    }

    [Fact]
    public async Task A_final_that_differs_discards_the_speculation_without_a_trace_and_answers_normally()
    {
        await using var call = await CallAsync();
        await call.PauseAfterAsync("can I see the house");
        var speculation = await call.Chat.NextAsync();
        speculation.Reply("Which house do you mean?");
        await speculation.Finished.Task.WaitAsync(TimeSpan.FromSeconds(5));

        await call.FinalAsync(Final);
        var normal = await call.Chat.NextAsync();
        Assert.Equal(Final, normal.UserText);
        // The discarded answer is not in what the normal request sees either.
        Assert.DoesNotContain(normal.Messages, m => m.Text.Contains("Which house", StringComparison.Ordinal));
        normal.Reply("Yes, it is free on Saturday.");
        await call.Harness.WaitForAsync<AgentReplyEndedFrame>(1);
        Assert.Equal("Yes, it is free on Saturday.", string.Concat(call.Harness.Downstream.OfType<LlmTextFrame>().Select(w => w.Text)));
        Assert.Equal([(ChatRole.User, Final), (ChatRole.Assistant, "Yes, it is free on Saturday.")],
            call.Agent.History.Skip(1).Select(m => (m.Role, m.Text)));
        Assert.Equal([Final], call.Observer.Turns.Select(t => t.Text));
    }

    [Fact]
    public async Task Speech_resuming_after_the_pause_cancels_the_speculation_and_the_full_turn_is_answered()
    {
        await using var call = await CallAsync();
        await call.PauseAfterAsync("can I see the house");
        var speculation = await call.Chat.NextAsync();
        await call.Harness.PushAsync(UserResumedSpeakingFrame.Instance);
        await speculation.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));

        await call.FinalAsync(Final);
        var normal = await call.Chat.NextAsync();
        Assert.Equal(Final, normal.UserText);
        normal.Reply("Yes, it is free on Saturday.");
        await call.Harness.WaitForAsync<AgentReplyEndedFrame>(1);
        Assert.Equal(2, call.Chat.Requests.Count);
        Assert.Equal("Yes, it is free on Saturday.", string.Concat(call.Harness.Downstream.OfType<LlmTextFrame>().Select(w => w.Text)));
    }

    [Fact]
    public async Task New_words_during_the_pause_restart_the_speculation_on_them()
    {
        await using var call = await CallAsync();
        await call.PauseAfterAsync("can I see the house");
        var first = await call.Chat.NextAsync();
        // The recogniser catches up with the last words while the caller is silent.
        await call.Harness.PushAsync(new TranscriptionFrame(Interim, false, false, TimeSpan.Zero, TimeSpan.FromSeconds(2)));
        await first.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var second = await call.Chat.NextAsync();
        Assert.Equal(Interim, second.UserText);
        second.Reply("Sure.");
        await call.FinalAsync(Final);
        await call.Harness.WaitForAsync<AgentReplyEndedFrame>(1);
        Assert.Equal(2, call.Chat.Requests.Count);
        Assert.Equal("Sure.", string.Concat(call.Harness.Downstream.OfType<LlmTextFrame>().Select(w => w.Text)));
    }

    [Fact]
    public async Task Only_new_words_are_offered_again_after_the_caller_went_on_and_paused_again()
    {
        var observer = new TurnObserver();
        await using var h = await new PipelineHarness(new UserTurnAggregator(new VoiceOptions(), new FakeTimeProvider(), observer)).StartAsync();
        await h.PushAsync(new UserStartedSpeakingFrame(TimeSpan.Zero));
        await h.PushAsync(new TranscriptionFrame("can I see", false, false, TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        await h.PushAsync(new UserPausedFrame(TimeSpan.FromSeconds(1)));
        await h.PushAsync(UserResumedSpeakingFrame.Instance);
        // The recogniser has nothing new yet: these words were answered already and the caller has said more since.
        await h.PushAsync(new UserPausedFrame(TimeSpan.FromSeconds(2)));
        await h.PushAsync(new TranscriptionFrame("can I see the house", false, false, TimeSpan.Zero, TimeSpan.FromSeconds(2)));
        Assert.Equal(["can I see", "can I see the house"], h.Downstream.OfType<SpeculateReplyFrame>().Select(f => f.Text));
    }

    [Fact]
    public async Task A_tool_call_in_a_speculation_runs_only_once_the_final_has_confirmed_the_words()
    {
        var booked = 0;
        var bookShowing = AIFunctionFactory.Create((string when) => { Interlocked.Increment(ref booked); return "booked"; }, AgentTools.BookShowing);
        await using var call = await CallAsync(bookShowing);
        await call.PauseAfterAsync("book me for saturday at ten");
        var speculation = await call.Chat.NextAsync();
        speculation.CallTool(AgentTools.BookShowing, new Dictionary<string, object?> { ["when"] = "Saturday 10:00" });
        await speculation.Finished.Task.WaitAsync(TimeSpan.FromSeconds(5));
        // The model asked for the booking, but the caller's words are not confirmed: nothing was booked.
        Assert.Equal(0, Volatile.Read(ref booked));

        await call.FinalAsync("Book me for Saturday at ten.");
        var afterTool = await call.Chat.NextAsync();
        Assert.Equal(1, Volatile.Read(ref booked));
        Assert.Equal(ChatRole.Tool, afterTool.Messages[^1].Role);
        afterTool.Reply("You're booked for Saturday at ten.");
        await call.Harness.WaitForAsync<AgentReplyEndedFrame>(1);
    }

    [Fact]
    public async Task A_tool_call_in_a_discarded_speculation_never_runs()
    {
        var booked = 0;
        var bookShowing = AIFunctionFactory.Create((string when) => { Interlocked.Increment(ref booked); return "booked"; }, AgentTools.BookShowing);
        await using var call = await CallAsync(bookShowing);
        await call.PauseAfterAsync("book me for saturday");
        var speculation = await call.Chat.NextAsync();
        speculation.CallTool(AgentTools.BookShowing, new Dictionary<string, object?> { ["when"] = "Saturday" });

        await call.FinalAsync("Book me for Saturday? No, Sunday.");
        var normal = await call.Chat.NextAsync();
        normal.Reply("Sunday it is. What time suits you?");
        await call.Harness.WaitForAsync<AgentReplyEndedFrame>(1);
        Assert.Equal(0, Volatile.Read(ref booked));
        Assert.DoesNotContain(call.Agent.History, m => m.Contents.OfType<FunctionCallContent>().Any());
    }

    [Fact]
    public async Task Switched_off_no_request_starts_before_the_final()
    {
        await using var call = await CallAsync(options: new VoiceOptions { SilenceMs = 300, SpeculativeReplies = false });
        await call.PauseAfterAsync(Interim);
        await call.FinalAsync(Final);
        var normal = await call.Chat.NextAsync();
        Assert.Equal(Final, normal.UserText); // the first request is the final's
        normal.Reply("Sure.");
        await call.Harness.WaitForAsync<AgentReplyEndedFrame>(1);
        Assert.Single(call.Chat.Requests);
    }

    [Theory]
    [InlineData("Can I see the house on Main Street?", "can i see the house on main street")]
    [InlineData("  I'm   pre-approved, for $400,000. ", "im pre approved for 400 000")]
    [InlineData("Uh-huh.", "uh huh")]
    public void Normalising_ignores_case_punctuation_and_spacing_only(string text, string expected) =>
        Assert.Equal(expected, SpeculativeReply.Normalise(text));

    [Fact]
    public void Different_words_stay_different() =>
        Assert.NotEqual(SpeculativeReply.Normalise("I can come"), SpeculativeReply.Normalise("I can't come"));

    private static async Task<Call> CallAsync(AIFunction? tool = null, VoiceOptions? options = null)
    {
        options ??= new VoiceOptions { SilenceMs = 300 };
        var time = new FakeTimeProvider();
        var observer = new TurnObserver();
        var chat = new GatedChat();
        var agent = new LlmStage(chat, tool is null ? [] : [tool], options, time, observer,
            NullLogger.Instance, "You are an estate agent.");
        var harness = await new PipelineHarness(new UserTurnAggregator(options, time, observer), agent).StartAsync();
        return new Call(harness, agent, chat, observer);
    }

    private sealed record Call(PipelineHarness Harness, LlmStage Agent, GatedChat Chat, TurnObserver Observer) : IAsyncDisposable
    {
        /// <summary>The caller says words (an interim) and pauses, as the VAD reports it.</summary>
        public async Task PauseAfterAsync(string interim)
        {
            await Harness.PushAsync(new UserStartedSpeakingFrame(TimeSpan.Zero));
            await Harness.PushAsync(new TranscriptionFrame(interim, false, false, TimeSpan.Zero, TimeSpan.FromSeconds(1.5)));
            await Harness.PushAsync(new UserPausedFrame(TimeSpan.FromSeconds(1.5)));
        }

        /// <summary>The turn ends: the VAD's stop, then the final transcript with the endpoint.</summary>
        public async Task FinalAsync(string text)
        {
            await Harness.PushAsync(new UserStoppedSpeakingFrame(TimeSpan.FromSeconds(1.5)));
            await Harness.PushAsync(new TranscriptionFrame(text, true, true, TimeSpan.Zero, TimeSpan.FromSeconds(1.5)));
        }

        public ValueTask DisposeAsync() => Harness.DisposeAsync();
    }

    private sealed class TurnObserver : ICallObserver
    {
        public ConcurrentQueue<UserTurnRecord> Turns { get; } = new();
        public void OnUserTranscript(string text, bool isFinal) { }
        public void OnUserTurn(UserTurnRecord turn) => Turns.Enqueue(turn);
        public void OnAgentTurn(AgentTurnRecord turn) { }
        public void OnToolCall(ToolCallRecord call) { }
        public void OnProviderFailure(string source, string message) { }
    }

    /// <summary>A model whose every request waits until the test says what it answers.</summary>
    private sealed class GatedChat : IChatClient
    {
        private readonly Channel<Request> _incoming = Channel.CreateUnbounded<Request>();
        public ConcurrentQueue<Request> Requests { get; } = new();

        public Task<Request> NextAsync() => _incoming.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
            ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var request = new Request([.. messages]);
            cancellationToken.Register(() => request.Cancelled.TrySetResult());
            Requests.Enqueue(request);
            _incoming.Writer.TryWrite(request);
            foreach (var update in await request.Released.Task.WaitAsync(cancellationToken))
                yield return update;
            request.Finished.TrySetResult();
        }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }

    private sealed class Request(List<ChatMessage> messages)
    {
        public List<ChatMessage> Messages { get; } = messages;
        public string UserText => Messages.Last(m => m.Role == ChatRole.User).Text;
        public TaskCompletionSource<ChatResponseUpdate[]> Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Reply(params string[] pieces) =>
            Released.TrySetResult([.. pieces.Select(p => new ChatResponseUpdate(ChatRole.Assistant, p))]);

        public void CallTool(string name, Dictionary<string, object?> arguments) =>
            Released.TrySetResult([new ChatResponseUpdate(ChatRole.Assistant, [new FunctionCallContent("call_1", name, arguments)])]);
    }
}

/// <summary>The VAD's pause (a speculation may start) and resume (it is stale), inside one utterance.</summary>
public sealed class SpeculationPauseVadTests
{
    private static async Task FeedAsync(PipelineHarness h, byte[] audio, TimeSpan start)
    {
        var frame = new InputAudioFrame(ReadOnlyMemory<byte>.Empty, TimeSpan.Zero);
        for (var i = 0; i + 160 <= audio.Length; i += 160)
        {
            frame.Mulaw = audio.AsMemory(i, 160);
            frame.Offset = start + TimeSpan.FromMilliseconds(i / 8.0);
            await h.PushAsync(frame);
        }
    }

    [Fact]
    public async Task A_short_pause_is_announced_before_the_stop_and_speech_after_it_resumes_the_utterance()
    {
        await using var h = await new PipelineHarness(new VadStage(new VoiceOptions { SilenceMs = 300, SpeculationPauseMs = 100 })).StartAsync();
        await FeedAsync(h, [.. AudioFixtures.Tone(400), .. AudioFixtures.Silence(120)], TimeSpan.Zero);
        var pause = Assert.Single(h.Downstream.OfType<UserPausedFrame>());
        Assert.Equal(400, pause.Offset.TotalMilliseconds);
        Assert.Empty(h.Downstream.OfType<UserStoppedSpeakingFrame>());

        await FeedAsync(h, [.. AudioFixtures.Tone(200), .. AudioFixtures.Silence(400)], TimeSpan.FromMilliseconds(520));
        Assert.Single(h.Downstream.OfType<UserResumedSpeakingFrame>());
        Assert.Single(h.Downstream.OfType<UserStartedSpeakingFrame>()); // still one utterance
        Assert.Equal(2, h.Downstream.OfType<UserPausedFrame>().Count());
        Assert.Equal(720, Assert.Single(h.Downstream.OfType<UserStoppedSpeakingFrame>()).Offset.TotalMilliseconds);
        // The pause comes first: a speculation starts SilenceMs - SpeculationPauseMs before the turn could end.
        var order = h.Downstream.Where(f => f is UserPausedFrame or UserStoppedSpeakingFrame).Select(f => f.GetType()).ToArray();
        Assert.Equal([typeof(UserPausedFrame), typeof(UserPausedFrame), typeof(UserStoppedSpeakingFrame)], order);
    }

    [Fact]
    public async Task Switched_off_no_pause_is_announced()
    {
        await using var h = await new PipelineHarness(new VadStage(new VoiceOptions { SilenceMs = 300, SpeculativeReplies = false })).StartAsync();
        await FeedAsync(h, [.. AudioFixtures.Tone(400), .. AudioFixtures.Silence(150), .. AudioFixtures.Tone(200), .. AudioFixtures.Silence(400)], TimeSpan.Zero);
        Assert.Empty(h.Downstream.OfType<UserPausedFrame>());
        Assert.Empty(h.Downstream.OfType<UserResumedSpeakingFrame>());
        Assert.Single(h.Downstream.OfType<UserStoppedSpeakingFrame>());
    }
}
