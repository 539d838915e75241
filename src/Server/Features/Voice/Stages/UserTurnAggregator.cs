using System.Text;
using EstateVoice.Server.Features.Voice.Pipeline;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// Decides when the caller's turn is over by combining the local VAD (speech stopped for the silence threshold)
/// with the speech-to-text's finals/endpointing/utterance-end, then hands the whole turn to the agent.
/// Barge-in is not its business: the <see cref="BargeInStage"/> before it holds back the words of speech over the
/// agent, so every word that reaches this stage belongs to a turn (a backchannel's words never come).
/// </summary>
public sealed class UserTurnAggregator : FrameProcessor
{
    private readonly VoiceOptions _options;
    private readonly TimeProvider _time;
    private readonly ICallObserver _observer;
    private readonly ITimer _finalWait;
    private readonly Lock _gate = new();
    private readonly StringBuilder _final = new();
    private string _interim = "";
    private bool _userSpeaking;
    private bool _vadStopped;
    // Speech-to-text is reconnecting and replaying: the final for words heard so far is on its way.
    private bool _sttRecovering;
    private TimeSpan _turnStart = TimeSpan.MinValue;
    private TimeSpan _speechEnd;
    private long _vadStoppedAt;
    // Speculative replies: the caller is pausing (a reply may start on the words so far), and the words last offered.
    private bool _pausing;
    private string _speculated = "";

    public UserTurnAggregator(VoiceOptions options, TimeProvider time, ICallObserver observer)
    {
        _options = options;
        _time = time;
        _observer = observer;
        _finalWait = time.CreateTimer(_ => OnFinalWaitElapsed(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    protected override async ValueTask ProcessSystemFrameAsync(Frame frame, FrameDirection direction, CancellationToken lifetime)
    {
        UserTurnFrame? turn = null;
        string? speculate = null;
        switch (frame)
        {
            case UserStartedSpeakingFrame started:
                lock (_gate)
                {
                    _userSpeaking = true;
                    _vadStopped = false;
                    _pausing = false;
                    _finalWait.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                    // The turn starts with the first utterance that has words: one without (a cough, a backchannel
                    // whose words were held back) does not count.
                    if (!HasWords) _turnStart = started.Offset;
                }
                break;
            case UserPausedFrame:
                lock (_gate)
                {
                    _pausing = true;
                    speculate = WordsToSpeculateOn();
                }
                break;
            case UserResumedSpeakingFrame:
                // The agent drops the speculation. The same words at the next pause are not offered again: the caller
                // said more since, so the final will not match them — only newer words are worth a request.
                lock (_gate) _pausing = false;
                break;
            case UserStoppedSpeakingFrame stopped:
                lock (_gate)
                {
                    _userSpeaking = false;
                    _vadStopped = true;
                    _speechEnd = stopped.Offset;
                    _vadStoppedAt = _time.GetTimestamp();
                    turn = TryCompleteTurn(requireFinal: true);
                    if (turn is null && HasWords)
                        _finalWait.Change(TimeSpan.FromMilliseconds(_options.FinalTranscriptWaitMs), Timeout.InfiniteTimeSpan);
                }
                break;
            case TranscriptionFrame t:
                lock (_gate)
                {
                    if (t.IsFinal)
                    {
                        if (t.Text.Length > 0)
                        {
                            if (_final.Length > 0) _final.Append(' ');
                            _final.Append(t.Text.Trim());
                        }
                        _interim = "";
                        if (_turnStart == TimeSpan.MinValue) _turnStart = t.Start;
                    }
                    else
                    {
                        _interim = t.Text;
                    }
                    // Endpointing from the provider ends the turn once our VAD agrees the caller is not talking.
                    if (t.SpeechFinal || (t.IsFinal && _vadStopped))
                        turn = !_userSpeaking ? TryCompleteTurn(requireFinal: true) : null;
                    // Words that came in during the pause (the recogniser lags the audio): speculate on them instead.
                    if (turn is null && _pausing) speculate = WordsToSpeculateOn();
                }
                if (t.Text.Length > 0)
                    _observer.OnUserTranscript(t.Text, t.IsFinal);
                break;
            case UtteranceEndFrame:
                lock (_gate) turn = !_userSpeaking ? TryCompleteTurn(requireFinal: false) : null;
                break;
            case SpeechRecognitionRecoveryFrame recovery:
                lock (_gate)
                {
                    _sttRecovering = recovery.Recovering;
                    // Back: the replayed words get the usual wait for their final from now.
                    if (!_sttRecovering && _vadStopped && !_userSpeaking && HasWords)
                        _finalWait.Change(TimeSpan.FromMilliseconds(_options.FinalTranscriptWaitMs), Timeout.InfiniteTimeSpan);
                }
                break;
        }

        if (frame is not (TranscriptionFrame or UtteranceEndFrame or SpeechRecognitionRecoveryFrame))
            await PushFrameAsync(frame, direction).ConfigureAwait(false);
        if (speculate is not null)
            await PushFrameAsync(new SpeculateReplyFrame(speculate)).ConfigureAwait(false);
        if (turn is not null)
            await EmitAsync(turn).ConfigureAwait(false);
    }

    /// <summary>The words so far, if the agent may start a reply to them now: there are some, they are new, and they are not speech over the agent still being judged.</summary>
    private string? WordsToSpeculateOn()
    {
        if (!HasWords) return null;
        var words = WordsSoFar();
        if (words == _speculated) return null;
        _speculated = words;
        return words;
    }

    private bool HasWords => _final.Length > 0 || _interim.Length > 0;

    private string WordsSoFar() => _interim.Length == 0 ? _final.ToString() : _final.Length == 0 ? _interim : _final + " " + _interim;

    private UserTurnFrame? TryCompleteTurn(bool requireFinal)
    {
        // With requireFinal, words still in flight (an interim after the finals) keep the turn open for their final.
        if (requireFinal && _interim.Length > 0) return null;
        var text = _final.Length > 0 ? _final.ToString() : requireFinal ? "" : _interim;
        if (!requireFinal && _interim.Length > 0 && _final.Length > 0) text += " " + _interim;
        if (text.Length == 0) return null;
        _finalWait.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var start = _turnStart == TimeSpan.MinValue ? TimeSpan.Zero : _turnStart;
        var end = _speechEnd > start ? _speechEnd : start;
        // Caller end of speech → final transcript: the VAD declared the stop SilenceMs after the last voiced frame.
        var sttLatency = _vadStoppedAt == 0
            ? TimeSpan.Zero
            : _time.GetElapsedTime(_vadStoppedAt) + TimeSpan.FromMilliseconds(_options.SilenceMs);
        Reset();
        return new UserTurnFrame(text, start, end, sttLatency) { HandedOverAt = _time.GetTimestamp() };
    }

    private void Reset()
    {
        _final.Clear();
        _interim = "";
        _turnStart = TimeSpan.MinValue;
        _vadStopped = false;
        _vadStoppedAt = 0;
        _pausing = false;
        _speculated = "";
    }

    private void OnFinalWaitElapsed()
    {
        UserTurnFrame? turn;
        lock (_gate)
        {
            // While speech-to-text recovers, an interim is not the caller's turn: its final comes with the replay.
            if (_userSpeaking || _sttRecovering) return;
            turn = TryCompleteTurn(requireFinal: false);
        }
        if (turn is not null)
            _ = EmitAsync(turn).AsTask();
    }

    private async ValueTask EmitAsync(UserTurnFrame turn)
    {
        _observer.OnUserTurn(new UserTurnRecord(turn.Text, turn.Start, turn.End, turn.SttLatency));
        await PushFrameAsync(turn).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        await _finalWait.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
