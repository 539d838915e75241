using System.Runtime.CompilerServices;
using EstateVoice.Server.Features.Voice.Pipeline;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// The paced sender: cuts synthesised audio into 20 ms frames, sends them at real time, sends a <c>mark</c> after
/// every sentence, and reports each agent turn when it ends. Barge-in is "pause at onset, then decide":
/// <list type="bullet">
/// <item>a <see cref="PauseReplyFrame"/> sends <c>clear</c> at once and holds the reply where the caller stopped
/// hearing it; the reply is not cancelled, its audio keeps arriving and waits in this stage's queue;</item>
/// <item>a <see cref="ResumeReplyFrame"/> re-sends the cleared audio from that position (a few frames kept in a
/// small ring), with fresh marks for the sentences it completes, then plays on;</item>
/// <item>an <see cref="InterruptionFrame"/> ends the turn, flagged interrupted, keeping only what was heard — up to
/// the pause if there was one — from the marks Twilio echoed and the play position.</item>
/// </list>
/// </summary>
public sealed class OutputStage : FrameProcessor
{
    private readonly IMediaStreamSink _sink;
    private readonly ICallObserver _observer;
    private readonly CallClock _clock;
    private readonly Pacer _pacer;
    // State shared by the send loop and the barge-in frames; never held across an await.
    private readonly Lock _gate = new();
    // Orders what goes to the socket against the pause: once a pause's clear is out, no frame or mark of the held
    // reply follows it until the resume. Uncontended it completes synchronously (no allocation per frame).
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly byte[] _frame = new byte[MuLaw.FrameBytes];
    private int _frameLength;
    private readonly RecentFrames _recent;
    private readonly SpokenSentences _sentences = new();
    private ReplyTimings? _timings;
    private bool _turnActive;
    private bool _speaking;
    private TimeSpan _turnStart;
    // Positions in the turn's audio, in frames: new audio sent so far, and what the current playback has been sent
    // up to. They differ only after a pause rewinds playback to the heard position, until the re-send catches up.
    private int _sentFrames;
    private int _playFrames;
    private bool _paused;
    private TimeSpan _pausedAt;
    private TaskCompletionSource? _resumed;

    public OutputStage(IMediaStreamSink sink, ICallObserver observer, CallClock clock, VoiceOptions options)
    {
        _sink = sink;
        _observer = observer;
        _clock = clock;
        _pacer = new Pacer(clock.Time, options.PacingLeadMs, MuLaw.FrameMs);
        _recent = new RecentFrames((options.PacingLeadMs + MuLaw.FrameMs - 1) / MuLaw.FrameMs + 2, MuLaw.FrameBytes);
    }

    /// <summary>Queued by a resume so the held audio is re-sent even when no new audio is on its way.</summary>
    private sealed class ReplayHeldAudioFrame : ControlFrame
    {
        public static readonly ReplayHeldAudioFrame Instance = new();
    }

    protected override async ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken replyToken)
    {
        switch (frame)
        {
            case AgentReplyStartedFrame started:
                await FinishTurnAsync(replyToken).ConfigureAwait(false);
                lock (_gate) BeginTurn(started.Timings);
                break;
            case OutputAudioFrame audio:
                await SendAudioAsync(audio.Mulaw, replyToken).ConfigureAwait(false);
                break;
            case SentenceAudioEndFrame end:
                await EndSentenceAsync(end.Text, replyToken).ConfigureAwait(false);
                break;
            case AgentReplyEndedFrame:
                await FinishTurnAsync(replyToken).ConfigureAwait(false);
                break;
            case ReplayHeldAudioFrame:
                await ReplayAsync(replyToken).ConfigureAwait(false);
                break;
            case TransferCallFrame transfer:
                await FinishTurnAsync(CancellationToken.None).ConfigureAwait(false);
                await _observer.TransferAsync(transfer.Reason, CancellationToken.None).ConfigureAwait(false);
                break;
            case EndCallFrame end:
                await FinishTurnAsync(CancellationToken.None).ConfigureAwait(false);
                await _observer.HangUpAsync(end.Reason, CancellationToken.None).ConfigureAwait(false);
                break;
            default:
                await PushFrameAsync(frame, direction).ConfigureAwait(false);
                break;
        }
    }

    protected override async ValueTask ProcessSystemFrameAsync(Frame frame, FrameDirection direction, CancellationToken lifetime)
    {
        switch (frame)
        {
            case PauseReplyFrame:
                await PauseAsync(lifetime).ConfigureAwait(false);
                break;
            case ResumeReplyFrame:
                await ResumeAsync().ConfigureAwait(false);
                break;
            case InterruptionFrame when direction == FrameDirection.Downstream:
                await InterruptAsync(lifetime).ConfigureAwait(false);
                break;
            case MarkPlayedFrame mark:
                lock (_gate) _sentences.MarkPlayed(mark.Name);
                return;
        }
        await PushFrameAsync(frame, direction).ConfigureAwait(false);
    }

    private void BeginTurn(ReplyTimings timings)
    {
        _timings = timings;
        _turnActive = true;
        _turnStart = _clock.Now;
        _sentFrames = 0;
        _playFrames = 0;
        _sentences.Clear();
        _frameLength = 0;
    }

    private async ValueTask SendAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken token)
    {
        lock (_gate)
        {
            if (!_turnActive) BeginTurn(new ReplyTimings { StartedAt = _clock.Time.GetTimestamp() });
        }
        while (!audio.IsEmpty)
        {
            var take = Math.Min(audio.Length, MuLaw.FrameBytes - _frameLength);
            audio.Span[..take].CopyTo(_frame.AsSpan(_frameLength));
            _frameLength += take;
            audio = audio[take..];
            if (_frameLength == MuLaw.FrameBytes)
                await SendFrameAsync(token).ConfigureAwait(false);
        }
    }

    /// <summary>Sends the new frame in <see cref="_frame"/>, after waiting out a pause and re-sending what it cleared.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendFrameAsync(CancellationToken token)
    {
        while (true)
        {
            if (!await ReplayAsync(token).ConfigureAwait(false)) continue;
            int next;
            lock (_gate) next = _sentFrames;
            if (await TrySendAsync(next, _frame, token).ConfigureAwait(false)) break;
        }
        _frameLength = 0;
    }

    /// <summary>
    /// Waits for the pacer, then sends frame <paramref name="index"/> of the turn — unless a pause came first (or
    /// moved the play position), in which case nothing is sent and false is returned.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> TrySendAsync(int index, ReadOnlyMemory<byte> frame, CancellationToken token)
    {
        if (!await _pacer.WaitForSlotAsync(token).ConfigureAwait(false)) return false;
        token.ThrowIfCancellationRequested();
        await _sendGate.WaitAsync(token).ConfigureAwait(false);
        try
        {
            bool first;
            lock (_gate)
            {
                if (_paused || !_turnActive || _playFrames != index) return false;
                first = !_speaking;
                _speaking = true;
                if (_timings is { FirstAudioAt: null } t) t.FirstAudioAt = _clock.Time.GetTimestamp();
                if (first && _sentences.Count == 0) _turnStart = _clock.Now;
            }
            if (first) await PushFrameAsync(BotStartedSpeakingFrame.Instance, FrameDirection.Upstream).ConfigureAwait(false);
            await _sink.SendMediaAsync(frame, token).ConfigureAwait(false);
            _pacer.FrameSent();
            bool resent;
            lock (_gate)
            {
                resent = index < _sentFrames;
                if (!resent)
                {
                    _recent.Record(index, frame.Span);
                    _sentFrames++;
                }
                _playFrames++;
            }
            // A re-sent frame may complete a sentence whose mark the pause discarded: its new mark goes right after it.
            if (resent) await SendDueMarksAsync(token).ConfigureAwait(false);
        }
        finally
        {
            _sendGate.Release();
        }
        return true;
    }

    /// <summary>
    /// After a pause: waits for the resume, then re-sends the frames its clear discarded. Returns false when another
    /// pause came meanwhile (the caller starts over), true once playback has caught up with the audio sent.
    /// </summary>
    private async ValueTask<bool> ReplayAsync(CancellationToken token)
    {
        Task? resumed;
        lock (_gate) resumed = _paused ? _resumed?.Task : null;
        if (resumed is not null) await resumed.WaitAsync(token).ConfigureAwait(false);
        var replayed = false;
        while (true)
        {
            int index;
            ReadOnlyMemory<byte> frame;
            lock (_gate)
            {
                if (_paused) return false;
                if (!_turnActive || _playFrames >= _sentFrames) break;
                index = _playFrames;
                frame = _recent.Get(index);
            }
            if (!await TrySendAsync(index, frame, token).ConfigureAwait(false)) return false;
            replayed = true;
        }
        if (replayed || resumed is not null)
        {
            await _sendGate.WaitAsync(token).ConfigureAwait(false);
            try { await SendDueMarksAsync(token).ConfigureAwait(false); }
            finally { _sendGate.Release(); }
        }
        return true;
    }

    /// <summary>Sends the marks of sentences whose audio has now gone out in full. Call holding the send gate.</summary>
    private async ValueTask SendDueMarksAsync(CancellationToken token)
    {
        while (true)
        {
            string? mark;
            lock (_gate) mark = _paused ? null : _sentences.NextDueMark(_playFrames);
            if (mark is null) return;
            await _sink.SendMarkAsync(mark, token).ConfigureAwait(false);
        }
    }

    private async ValueTask EndSentenceAsync(string text, CancellationToken token)
    {
        if (_frameLength > 0)
        {
            _frame.AsSpan(_frameLength).Fill(MuLaw.Silence);
            _frameLength = MuLaw.FrameBytes;
            await SendFrameAsync(token).ConfigureAwait(false);
        }
        lock (_gate) _sentences.Add(text, _sentFrames);
        // Paused now, the mark waits for the re-send to reach the sentence's end (so a clear never echoes it).
        await _sendGate.WaitAsync(token).ConfigureAwait(false);
        try { await SendDueMarksAsync(token).ConfigureAwait(false); }
        finally { _sendGate.Release(); }
        await _sink.SendTranscriptAsync("agent", text, true, token).ConfigureAwait(false);
    }

    private async ValueTask FinishTurnAsync(CancellationToken token)
    {
        AgentTurnRecord? record;
        bool wasSpeaking;
        while (true)
        {
            lock (_gate)
            {
                if (!_turnActive) return;
            }
            if (!await ReplayAsync(token).ConfigureAwait(false)) continue;
            if (!await _pacer.WaitPlayedOutAsync(token).ConfigureAwait(false)) continue;
            await _sendGate.WaitAsync(token).ConfigureAwait(false);
            try
            {
                lock (_gate)
                {
                    // A pause that came while the last frames played: re-send them, then wait again.
                    if (_paused || _playFrames != _sentFrames) continue;
                    if (!_turnActive) return;
                    wasSpeaking = _speaking;
                    record = CompleteTurn(interrupted: false, heard: _sentences.FullText, _clock.Now);
                }
            }
            finally
            {
                _sendGate.Release();
            }
            break;
        }
        _pacer.Reset();
        if (wasSpeaking) await PushFrameAsync(BotStoppedSpeakingFrame.Instance, FrameDirection.Upstream).ConfigureAwait(false);
        if (record is not null) _observer.OnAgentTurn(record);
    }

    private async ValueTask PauseAsync(CancellationToken lifetime)
    {
        await _sendGate.WaitAsync(lifetime).ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                if (!_turnActive || !_speaking || _paused) return;
                // What the caller heard: the pacer's estimate or the echoed marks, whichever is further, within what was sent.
                var heardMs = Math.Max(_pacer.Hold(), _sentences.PlayedFramesByMarks() * (double)MuLaw.FrameMs);
                var heard = Math.Clamp((int)(heardMs / MuLaw.FrameMs), _recent.Oldest(_sentFrames), _playFrames);
                _playFrames = heard;
                _sentences.ForgetMarksAfter(heard);
                _paused = true;
                _pausedAt = _clock.Now;
                _resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            await _sink.SendClearAsync(lifetime).ConfigureAwait(false);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private async ValueTask ResumeAsync()
    {
        TaskCompletionSource? resumed;
        lock (_gate)
        {
            if (!_paused) return;
            _paused = false;
            resumed = _resumed;
            _resumed = null;
            _pacer.Release(_playFrames * (double)MuLaw.FrameMs);
        }
        resumed?.TrySetResult();
        // The send loop re-sends before its next frame; this covers a loop that is idle, waiting for audio.
        await QueueFrameAsync(ReplayHeldAudioFrame.Instance).ConfigureAwait(false);
    }

    private async ValueTask InterruptAsync(CancellationToken lifetime)
    {
        AgentTurnRecord? record = null;
        bool wasSpeaking, wasPaused, wasActive;
        TaskCompletionSource? resumed;
        var heard = "";
        await _sendGate.WaitAsync(lifetime).ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                wasSpeaking = _speaking;
                wasPaused = _paused;
                wasActive = _turnActive;
                if (_turnActive)
                {
                    // After a pause the caller heard up to it; otherwise up to now.
                    var heardFrames = wasPaused
                        ? _playFrames
                        : Math.Min(_playFrames, Math.Max(_sentences.PlayedFramesByMarks(), _pacer.PlayedMs / MuLaw.FrameMs));
                    heard = _sentences.HeardText(heardFrames);
                    record = CompleteTurn(interrupted: true, heard, wasPaused ? _pausedAt : _clock.Now);
                }
                _paused = false;
                resumed = _resumed;
                _resumed = null;
            }
            _pacer.Reset();
            // A pause already cleared Twilio's buffer and nothing was sent since.
            if ((wasSpeaking || record is not null) && !wasPaused)
                await _sink.SendClearAsync(lifetime).ConfigureAwait(false);
        }
        finally
        {
            _sendGate.Release();
        }
        resumed?.TrySetResult();
        if (record is not null) _observer.OnAgentTurn(record);
        // Even with nothing to save (cut inside its first sentence, whose words are only known at its end), the
        // agent's history must lose what the caller never heard.
        if (wasActive)
            await PushFrameAsync(new AgentTurnHeardFrame(heard, interrupted: true), FrameDirection.Upstream).ConfigureAwait(false);
        if (wasSpeaking) await PushFrameAsync(BotStoppedSpeakingFrame.Instance, FrameDirection.Upstream).ConfigureAwait(false);
    }

    private AgentTurnRecord? CompleteTurn(bool interrupted, string heard, TimeSpan end)
    {
        var timings = _timings;
        var fullText = _sentences.FullText;
        var speaking = _speaking;
        _turnActive = false;
        _speaking = false;
        _timings = null;
        _sentences.Clear();
        _sentFrames = 0;
        _playFrames = 0;
        if (fullText.Length == 0 && timings is not { ToolCalls.Count: > 0 }) return null;

        var time = _clock.Time;
        // Latencies are measured from the caller's end of speech, so FirstAudio is the silence the caller heard.
        var stt = timings?.SttLatency ?? TimeSpan.Zero;
        TimeSpan? Since(long? at) => at is { } ts && timings is not null ? stt + time.GetElapsedTime(timings.StartedAt, ts) : null;
        return new AgentTurnRecord(
            heard, fullText, interrupted, _turnStart, speaking || interrupted ? end : _turnStart,
            timings?.ToolCalls ?? [],
            timings?.SttLatency,
            Since(timings?.LlmFirstTokenAt), Since(timings?.TtsFirstByteAt), Since(timings?.FirstAudioAt));
    }

    public override async ValueTask DisposeAsync()
    {
        _pacer.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
        _sendGate.Dispose();
    }
}
