using System.Collections.Concurrent;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Pipeline;
using EstateVoice.Server.Features.Voice.Stages;
using EstateVoice.Server.Features.Voice.Twilio;
using Microsoft.Extensions.Time.Testing;

namespace EstateVoice.Server.Tests.Features.Voice.Stages;

/// <summary>
/// The paced sender across a barge-in pause, on a fake clock so the play position is exact. Every outbound frame
/// carries its number in the turn's audio, so the recording shows exactly what was sent, cleared and re-sent.
/// With a 60 ms lead, frame n leaves at n × 20 ms − 60 ms after the first.
/// </summary>
public sealed class OutputStageBargeInTests : IAsyncDisposable
{
    private const string First = "One two three four five.";
    private const string Second = "Six seven eight nine ten.";

    private sealed class RecordingSink : IMediaStreamSink
    {
        public ConcurrentQueue<string> Sent { get; } = new();
        public int MediaCount => Sent.Count(e => e[0] == 'f');

        public ValueTask SendMediaAsync(ReadOnlyMemory<byte> mulaw, CancellationToken cancellationToken)
        {
            Sent.Enqueue("f" + mulaw.Span[0]);
            return ValueTask.CompletedTask;
        }

        public ValueTask SendMarkAsync(string name, CancellationToken cancellationToken)
        {
            Sent.Enqueue("mark:" + name);
            return ValueTask.CompletedTask;
        }

        public ValueTask SendClearAsync(CancellationToken cancellationToken)
        {
            Sent.Enqueue("clear");
            return ValueTask.CompletedTask;
        }
    }

    private sealed class RecordingObserver : ICallObserver
    {
        public ConcurrentQueue<AgentTurnRecord> AgentTurns { get; } = new();
        public void OnUserTranscript(string text, bool isFinal) { }
        public void OnUserTurn(UserTurnRecord turn) { }
        public void OnAgentTurn(AgentTurnRecord turn) => AgentTurns.Enqueue(turn);
        public void OnToolCall(ToolCallRecord call) { }
        public void OnProviderFailure(string source, string message) { }
    }

    private readonly FakeTimeProvider _time = new();
    private readonly RecordingSink _sink = new();
    private readonly RecordingObserver _observer = new();
    private readonly PipelineHarness _harness;
    private int _nowMs;
    private bool _disposed;

    public OutputStageBargeInTests()
    {
        var output = new OutputStage(_sink, _observer, new CallClock(_time), new VoiceOptions { PacingLeadMs = 60 }, framesPerMessage: 1); // these tests step the clock a frame at a time
        _harness = new PipelineHarness(output);
    }

    /// <summary>Numbered frames <paramref name="from"/>..<paramref name="to"/> as one chunk of synthesised audio.</summary>
    private static OutputAudioFrame Audio(int from, int to)
    {
        var audio = new byte[(to - from + 1) * MuLaw.FrameBytes];
        for (var i = from; i <= to; i++) audio.AsSpan((i - from) * MuLaw.FrameBytes, MuLaw.FrameBytes).Fill((byte)i);
        return new OutputAudioFrame(audio);
    }

    /// <summary>A reply of two five-word sentences, ten frames each; returns once the lead (frames 0-3) is out at 0 ms.</summary>
    private async Task StartReplyAsync()
    {
        await _harness.StartAsync();
        await _harness.PushAsync(AgentReplyStartedFrame.Unprompted);
        await _harness.PushAsync(Audio(0, 9));
        await _harness.PushAsync(new SentenceAudioEndFrame(First));
        await _harness.PushAsync(Audio(10, 19));
        await _harness.PushAsync(new SentenceAudioEndFrame(Second));
        await _harness.PushAsync(AgentReplyEndedFrame.Instance);
        await WaitAsync(() => _sink.MediaCount == 4);
    }

    /// <summary>
    /// Moves the clock to <paramref name="ms"/> a frame at a time while the sender is playing: one frame is due per
    /// step, and each step waits for it, so the sender never falls behind the fake clock (which would look like an under-run).
    /// </summary>
    private async Task PlayAsync(int ms)
    {
        while (_nowMs < ms)
        {
            var before = _sink.MediaCount;
            _nowMs += MuLaw.FrameMs;
            _time.Advance(TimeSpan.FromMilliseconds(MuLaw.FrameMs));
            await WaitAsync(() => _sink.MediaCount > before);
        }
    }

    /// <summary>Moves the clock while nothing may be sent (held, or everything already out).</summary>
    private async Task IdleAsync(int ms)
    {
        _time.Advance(TimeSpan.FromMilliseconds(ms - _nowMs));
        _nowMs = ms;
        await Task.Delay(30);
    }

    private async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"condition not met at {_nowMs} ms; sent: {string.Join(' ', Sent)}");
            await Task.Delay(2);
        }
    }

    private string[] Sent => [.. _sink.Sent];

    private static string[] Frames(int from, int to) => [.. Enumerable.Range(from, to - from + 1).Select(i => "f" + i)];

    [Fact]
    public async Task A_pause_clears_and_stops_sending_and_a_resume_resends_from_the_heard_position_with_fresh_marks()
    {
        await StartReplyAsync();
        await PlayAsync(160); // frames 0-11 out; the caller has heard 160 ms = frames 0-7
        await WaitAsync(() => _sink.Sent.Count == 13);
        Assert.Equal([.. Frames(0, 9), "mark:s1", "f10", "f11"], Sent);

        await _harness.PushAsync(PauseReplyFrame.Instance);
        // Twilio answers a clear by echoing every pending mark: s1's audio (frames 8-9) was cleared, not played.
        await _harness.PushAsync(new MarkPlayedFrame("s1"));
        await IdleAsync(400);
        Assert.Equal([.. Frames(0, 9), "mark:s1", "f10", "f11", "clear"], Sent);
        Assert.Empty(_observer.AgentTurns);

        await _harness.PushAsync(ResumeReplyFrame.Instance);
        await WaitAsync(() => _sink.MediaCount == 16); // frames 8-11 again, at once (the lead)
        await PlayAsync(560); // frames 12-19
        await IdleAsync(640); // played out: 12 frames after the resume
        await WaitAsync(() => !_observer.AgentTurns.IsEmpty);
        // Re-sent from frame 8 with a new mark for the first sentence, then on to the end.
        Assert.Equal([.. Frames(0, 9), "mark:s1", "f10", "f11", "clear", "f8", "f9", "mark:s2", .. Frames(10, 19), "mark:s3"], Sent);

        var turn = Assert.Single(_observer.AgentTurns);
        Assert.False(turn.Interrupted);
        Assert.Equal(First + " " + Second, turn.Text);
        Assert.Empty(_harness.Upstream.OfType<AgentTurnHeardFrame>());
    }

    [Fact]
    public async Task A_tool_call_still_queued_behind_the_audio_when_the_caller_interrupts_is_saved()
    {
        var booking = new ToolCallRecord("book_showing", """{"property_id":7}""", """{"booked":true}""");
        await _harness.StartAsync();
        await _harness.PushAsync(AgentReplyStartedFrame.Unprompted);
        await _harness.PushAsync(Audio(0, 9));
        await _harness.PushAsync(new SentenceAudioEndFrame(First));
        await _harness.PushAsync(new ToolCalledFrame(booking)); // queued while the first sentence plays
        await _harness.PushAsync(Audio(10, 19));
        await _harness.PushAsync(new SentenceAudioEndFrame(Second));
        await _harness.PushAsync(AgentReplyEndedFrame.Instance);
        await WaitAsync(() => _sink.MediaCount == 4);
        await PlayAsync(100);

        await _harness.PushAsync(InterruptionFrame.Instance);
        await WaitAsync(() => _observer.AgentTurns.SelectMany(t => t.ToolCalls).Any());

        Assert.Equal(booking, Assert.Single(_observer.AgentTurns.SelectMany(t => t.ToolCalls)));
        Assert.All(_observer.AgentTurns, t => Assert.True(t.Interrupted));
    }

    [Fact]
    public async Task An_interruption_after_a_pause_keeps_what_was_heard_up_to_the_pause_and_sends_no_second_clear()
    {
        await StartReplyAsync();
        await PlayAsync(160);
        await _harness.PushAsync(PauseReplyFrame.Instance);
        await IdleAsync(600); // the decision takes a while; the heard position does not move meanwhile
        await _harness.PushAsync(InterruptionFrame.Instance);
        await WaitAsync(() => !_observer.AgentTurns.IsEmpty);
        await IdleAsync(1000);

        var turn = Assert.Single(_observer.AgentTurns);
        Assert.True(turn.Interrupted);
        Assert.Equal("One two three four", turn.Text); // 8 of the first sentence's 10 frames
        Assert.Equal(First, turn.FullText); // the second sentence's audio never finished
        var heard = Assert.Single(_harness.Upstream.OfType<AgentTurnHeardFrame>());
        Assert.Equal("One two three four", heard.HeardText);
        Assert.Equal([.. Frames(0, 9), "mark:s1", "f10", "f11", "clear"], Sent);
        Assert.Single(_harness.Upstream.OfType<BotStoppedSpeakingFrame>());
    }

    [Fact]
    public async Task A_pause_while_the_last_frames_play_out_resends_them_before_the_turn_ends()
    {
        await StartReplyAsync();
        await PlayAsync(320); // all 20 frames sent; 80 ms of them still queued at Twilio
        await WaitAsync(() => Sent[^1] == "mark:s2");
        await _harness.PushAsync(PauseReplyFrame.Instance);
        await IdleAsync(500); // unpaused, the turn would have ended at 400 ms
        Assert.Empty(_observer.AgentTurns);

        await _harness.PushAsync(ResumeReplyFrame.Instance);
        await WaitAsync(() => _sink.MediaCount == 24 && Sent[^1] == "mark:s3");
        await IdleAsync(580);
        await WaitAsync(() => !_observer.AgentTurns.IsEmpty);
        Assert.Equal([.. Frames(0, 9), "mark:s1", .. Frames(10, 19), "mark:s2", "clear", .. Frames(16, 19), "mark:s3"], Sent);
        var turn = Assert.Single(_observer.AgentTurns);
        Assert.False(turn.Interrupted);
        Assert.Equal(First + " " + Second, turn.Text);
    }

    [Fact]
    public async Task An_interruption_before_any_sentence_began_saves_no_turn_and_reports_nothing_heard()
    {
        await StartReplyAsync(); // audio with no sentence start: nothing known to have been said
        await PlayAsync(100);
        await _harness.PushAsync(InterruptionFrame.Instance);
        var heard = Assert.Single(await WaitForUpstreamAsync<AgentTurnHeardFrame>());
        Assert.Equal("", heard.HeardText); // the agent's history drops the reply
        Assert.True(heard.Interrupted);
        Assert.Equal("clear", Sent[^1]);
        Assert.Empty(_observer.AgentTurns);
    }

    [Fact]
    public async Task An_interruption_inside_the_first_sentence_saves_the_words_heard_so_far()
    {
        // As TTS delivers it: the sentence's start, then its audio; its end is only known once all of it has played.
        await _harness.StartAsync();
        await _harness.PushAsync(AgentReplyStartedFrame.Unprompted);
        await _harness.PushAsync(new SentenceAudioStartFrame(First));
        await _harness.PushAsync(Audio(0, 89)); // 1.8 s, about what "One two three four five." takes to say
        await WaitAsync(() => _sink.MediaCount == 4);
        await PlayAsync(1000); // 50 of its 90 frames heard
        await _harness.PushAsync(InterruptionFrame.Instance);

        var heard = Assert.Single(await WaitForUpstreamAsync<AgentTurnHeardFrame>());
        Assert.Equal("One two", heard.HeardText);
        var turn = Assert.Single(_observer.AgentTurns);
        Assert.Equal((true, "One two", First), (turn.Interrupted, turn.Text, turn.FullText));
    }

    private async Task<T[]> WaitForUpstreamAsync<T>()
    {
        await WaitAsync(() => _harness.Upstream.OfType<T>().Any());
        return [.. _harness.Upstream.OfType<T>()];
    }

    [Fact]
    public async Task Ending_the_call_while_paused_saves_the_turn_up_to_the_pause_and_does_not_hang()
    {
        await StartReplyAsync();
        await PlayAsync(160);
        await _harness.PushAsync(PauseReplyFrame.Instance);
        _disposed = true;
        await _harness.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        string[] expected = [.. Frames(0, 9), "mark:s1", "f10", "f11", "clear"];
        Assert.True(expected.SequenceEqual(Sent), "sent: " + string.Join(' ', Sent));
        var turn = Assert.Single(_observer.AgentTurns);
        Assert.True(turn.Interrupted);
        Assert.Equal("One two three four", turn.Text);
    }

    /// <summary>A reply whose last sentence's audio is still arriving: its start came, its end has not.</summary>
    private async Task StartReplyWithUnfinishedSecondSentenceAsync()
    {
        await _harness.StartAsync();
        await _harness.PushAsync(AgentReplyStartedFrame.Unprompted);
        await _harness.PushAsync(new SentenceAudioStartFrame(First));
        await _harness.PushAsync(Audio(0, 9));
        await _harness.PushAsync(new SentenceAudioEndFrame(First));
        await _harness.PushAsync(new SentenceAudioStartFrame(Second));
        await _harness.PushAsync(Audio(10, 19));
        await WaitAsync(() => _sink.MediaCount == 4);
    }

    [Fact]
    public async Task Ending_the_call_while_a_sentence_is_still_playing_saves_it_as_said_and_the_turn_as_interrupted()
    {
        await StartReplyWithUnfinishedSecondSentenceAsync();
        await PlayAsync(260); // 13 frames heard: three of the second sentence's
        _disposed = true;
        await _harness.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        var turn = Assert.Single(_observer.AgentTurns);
        Assert.True(turn.Interrupted);
        Assert.Equal(First + " " + Second, turn.Text);
        Assert.Equal(First + " " + Second, turn.FullText);
    }

    [Fact]
    public async Task Ending_the_call_inside_the_first_sentence_still_saves_the_turn()
    {
        await _harness.StartAsync();
        await _harness.PushAsync(AgentReplyStartedFrame.Unprompted);
        await _harness.PushAsync(new SentenceAudioStartFrame(First));
        await _harness.PushAsync(Audio(0, 9));
        await WaitAsync(() => _sink.MediaCount == 4);
        await PlayAsync(100);
        _disposed = true;
        await _harness.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        var turn = Assert.Single(_observer.AgentTurns);
        Assert.Equal((true, First), (turn.Interrupted, turn.Text));
    }

    [Fact]
    public async Task Ending_the_call_before_any_of_a_started_sentence_was_heard_leaves_it_out()
    {
        await StartReplyWithUnfinishedSecondSentenceAsync();
        await PlayAsync(180); // 9 frames heard: the second sentence (from frame 10) was sent ahead, not heard
        _disposed = true;
        await _harness.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        var turn = Assert.Single(_observer.AgentTurns);
        Assert.Equal((true, "One two three four"), (turn.Interrupted, turn.Text));
    }

    [Fact]
    public async Task A_pause_while_nothing_is_playing_sends_nothing()
    {
        await _harness.StartAsync();
        await _harness.PushAsync(PauseReplyFrame.Instance);
        await _harness.PushAsync(ResumeReplyFrame.Instance);
        await _harness.PushAsync(InterruptionFrame.Instance);
        Assert.Empty(_sink.Sent);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_disposed) await _harness.DisposeAsync();
    }
}
