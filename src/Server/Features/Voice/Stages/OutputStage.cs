using System.Runtime.CompilerServices;
using EstateVoice.Server.Features.Voice.Pipeline;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// The paced sender: cuts synthesised audio into 20 ms frames, sends them at real time two to a media message (40 ms:
/// half the sends, socket writes and wake-ups per call; Twilio takes any payload length), sends a <c>mark</c> after
/// every sentence, and reports each agent turn when it ends. A sentence's last message may carry one frame (a mark
/// goes right after its sentence's audio). Positions (marks, the heard estimate, the replay ring) stay in 20 ms frames. Barge-in is "pause at onset, then decide":
/// <list type="bullet">
/// <item>a <see cref="PauseReplyFrame"/> sends <c>clear</c> at once and holds the reply where the caller stopped
/// hearing it; the reply is not cancelled, its audio keeps arriving and waits in this stage's queue;</item>
/// <item>a <see cref="ResumeReplyFrame"/> re-sends the cleared audio from that position (a few frames kept in a
/// small ring), with fresh marks for the sentences it completes, then plays on;</item>
/// <item>an <see cref="InterruptionFrame"/> ends the turn, flagged interrupted, keeping only what was heard — up to
/// the pause if there was one — from the marks Twilio echoed and the play position.</item>
/// </list>
/// </summary>
public sealed partial class OutputStage : FrameProcessor
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
    /// <summary>Frames per outbound media message.</summary>
    public const int FramesPerMessage = 2;
    // The next message being filled: up to framesPerMessage frames.
    private readonly byte[] _message;
    private int _messageLength;
    private readonly RecentFrames _recent;
    private readonly SpokenSentences _sentences = new();
    // The only writer of the turn's latencies and tool calls: upstream stages send them as frames.
    private readonly ReplyTimings _timings = new();
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
    private int _stopped;

    /// <param name="pacing">The node's pacing clock; a stage on its own (tests) gets a clock of its own on the call's time.</param>
    /// <param name="framesPerMessage">20 ms frames per media message (1: a message a frame, for tests that step frame by frame).</param>
    public OutputStage(IMediaStreamSink sink, ICallObserver observer, CallClock clock, VoiceOptions options, PacingClock? pacing = null,
        int framesPerMessage = FramesPerMessage)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(framesPerMessage);
        _message = new byte[framesPerMessage * MuLaw.FrameBytes];
        _sink = sink;
        _observer = observer;
        _clock = clock;
        _pacer = new Pacer(pacing ?? new PacingClock(clock.Time), options.PacingLeadMs, MuLaw.FrameMs);
        // Twilio holds at most the lead plus one message unplayed; the ring keeps that and a frame more.
        _recent = new RecentFrames((options.PacingLeadMs + MuLaw.FrameMs - 1) / MuLaw.FrameMs + framesPerMessage + 1, MuLaw.FrameBytes);
    }

    /// <summary>Queued by a resume so the held audio is re-sent even when no new audio is on its way.</summary>
    private sealed class ReplayHeldAudioFrame : ControlFrame
    {
        public static readonly ReplayHeldAudioFrame Instance = new();
    }

    protected override async ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken replyToken)
    {
        if (Volatile.Read(ref _stopped) == 1)
        {
            // The call is over: nothing more is sent, no turn begins, no transfer or hang-up acts on a finished call.
            if (frame is OutputAudioFrame dropped) AudioChunkPool.Return(dropped);
            return;
        }
        switch (frame)
        {
            case AgentReplyStartedFrame started:
                await FinishTurnAsync(replyToken).ConfigureAwait(false);
                lock (_gate) BeginTurn(started.Cause);
                break;
            case ReplyMarkFrame mark:
                lock (_gate) _timings.Mark(mark.Mark, mark.At);
                break;
            case ToolCalledFrame tool:
                AgentTurnRecord? late = null;
                lock (_gate)
                {
                    if (_turnActive) _timings.AddToolCall(tool.Call);
                    // Its reply was interrupted (and saved) while this frame was still on its way: a turn of its own.
                    else late = new AgentTurnRecord("", "", Interrupted: true, _clock.Now, _clock.Now, [tool.Call], null, null, null, null);
                }
                if (late is not null) _observer.OnAgentTurn(late);
                break;
            case OutputAudioFrame audio:
                try
                {
                    await SendAudioAsync(audio.Mulaw, replyToken).ConfigureAwait(false);
                }
                finally
                {
                    // Every byte is in the frame buffer or the replay ring by now (copied), or dropped.
                    AudioChunkPool.Return(audio);
                }
                break;
            case SentenceAudioStartFrame start:
                lock (_gate)
                {
                    if (!_turnActive) BeginTurn(null);
                    // Whole frames still waiting in the message being filled were sent before this sentence.
                    _sentences.Begin(start.Text, _sentFrames + _messageLength / MuLaw.FrameBytes);
                }
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
            case TransferCallFrame or EndCallFrame:
                // The agent's last words are played out first; the output end then carries the hand-off out.
                await FinishTurnAsync(CancellationToken.None).ConfigureAwait(false);
                await PushFrameAsync(frame, direction).ConfigureAwait(false);
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

    private void BeginTurn(ReplyCause? cause)
    {
        _timings.Begin(cause);
        _turnActive = true;
        _turnStart = _clock.Now;
        _sentFrames = 0;
        _playFrames = 0;
        _sentences.Clear();
        _messageLength = 0;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken token)
    {
        lock (_gate)
        {
            if (!_turnActive) BeginTurn(null);
        }
        while (!audio.IsEmpty)
        {
            var take = Math.Min(audio.Length, _message.Length - _messageLength);
            audio.Span[..take].CopyTo(_message.AsSpan(_messageLength));
            _messageLength += take;
            audio = audio[take..];
            if (_messageLength == _message.Length)
                await SendMessageAsync(token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends the whole frames in <see cref="_message"/> as one message (new audio), after waiting out a pause and
    /// re-sending what it cleared. A part frame left over is dropped.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendMessageAsync(CancellationToken token)
    {
        var frames = _message.AsMemory(0, _messageLength / MuLaw.FrameBytes * MuLaw.FrameBytes);
        if (frames.IsEmpty)
        {
            _messageLength = 0;
            return;
        }
        while (true)
        {
            if (!await ReplayAsync(token).ConfigureAwait(false)) continue;
            int next;
            lock (_gate)
            {
                // The turn ended under us (an interruption, or the call ending while paused): drop the frame.
                if (!_turnActive) break;
                next = _sentFrames;
            }
            if (await TrySendAsync(next, frames, token).ConfigureAwait(false)) break;
        }
        _messageLength = 0;
    }

    /// <summary>
    /// Waits for the pacer, then sends <paramref name="frames"/> (whole 20 ms frames) in one message as frames
    /// <paramref name="index"/>… of the turn — unless a pause came first (or moved the play position), in which case
    /// nothing is sent and false is returned.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> TrySendAsync(int index, ReadOnlyMemory<byte> frames, CancellationToken token)
    {
        var count = frames.Length / MuLaw.FrameBytes;
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
                _timings.FirstAudio(_clock.Time.GetTimestamp());
                if (first && _sentences.Count == 0) _turnStart = _clock.Now;
            }
            if (first) await PushFrameAsync(BotStartedSpeakingFrame.Instance, FrameDirection.Upstream).ConfigureAwait(false);
            await _sink.SendMediaAsync(frames, token).ConfigureAwait(false);
            _pacer.FramesSent(count);
            bool resent;
            lock (_gate)
            {
                // A re-send (from the replay ring) never runs past the new audio: a message is all one or the other.
                resent = index < _sentFrames;
                if (!resent)
                {
                    for (var i = 0; i < count; i++)
                        _recent.Record(index + i, frames.Span.Slice(i * MuLaw.FrameBytes, MuLaw.FrameBytes));
                    _sentFrames += count;
                }
                _playFrames += count;
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
        if (_messageLength > 0)
        {
            // The sentence's last audio goes now (its mark follows it), its part frame padded with silence.
            var padded = (_messageLength + MuLaw.FrameBytes - 1) / MuLaw.FrameBytes * MuLaw.FrameBytes;
            _message.AsSpan(_messageLength, padded - _messageLength).Fill(MuLaw.Silence);
            _messageLength = padded;
            await SendMessageAsync(token).ConfigureAwait(false);
        }
        lock (_gate)
        {
            if (!_turnActive) return; // the turn ended under us: nothing of this sentence was sent
            _sentences.Add(text, _sentFrames);
        }
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
        // Whole frames still waiting for a second one to share their message go out (a part frame is dropped, as before).
        if (_messageLength >= MuLaw.FrameBytes) await SendMessageAsync(token).ConfigureAwait(false);
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

    private AgentTurnRecord? CompleteTurn(bool interrupted, string heard, TimeSpan end)
    {
        var fullText = _sentences.FullText;
        var speaking = _speaking;
        var hasToolCalls = _timings.HasToolCalls;
        var (toolCalls, stt, llm, tts, firstAudio) = _timings.Complete(_clock.Time);
        _turnActive = false;
        _speaking = false;
        _sentences.Clear();
        _sentFrames = 0;
        _playFrames = 0;
        if (fullText.Length == 0 && !hasToolCalls) return null;
        return new AgentTurnRecord(
            heard, fullText, interrupted, _turnStart, speaking || interrupted ? end : _turnStart, toolCalls, stt, llm, tts, firstAudio);
    }
}
