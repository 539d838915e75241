using EstateVoice.Server.Features.Voice.Pipeline;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// Barge-in in the paced sender. A pause rewinds the play position to what the caller heard and holds the send loop;
/// a resume lets the loop re-send from there (<see cref="ReplayAsync"/> runs before every new frame and before a
/// turn ends); an interruption ends the turn with what was heard. The send gate orders all of it against the socket.
/// </summary>
public sealed partial class OutputStage
{
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

    /// <summary>How much of the turn the caller has heard, in frames: up to a pause if one holds the reply, else up to now. Call under the gate.</summary>
    private double HeardFrames() => _paused
        ? _playFrames
        : Math.Min(_playFrames, Math.Max(_sentences.PlayedFramesByMarks(), _pacer.PlayedMs / MuLaw.FrameMs));

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
                    var heardFrames = HeardFrames();
                    _sentences.CutUnfinished(heardFrames, _sentFrames);
                    heard = _sentences.HeardText(heardFrames);
                    record = CompleteTurn(interrupted: true, heard, wasPaused ? _pausedAt : _clock.Now);
                }
                _paused = false;
                resumed = _resumed;
                _resumed = null;
                // With the pause: a held pacer and no pause would make a waiting send loop spin.
                _pacer.Reset();
            }
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
        // Even with nothing to save (cut before any sentence began), the agent's history must lose what the caller never heard.
        if (wasActive)
            await PushFrameAsync(new AgentTurnHeardFrame(heard, interrupted: true), FrameDirection.Upstream).ConfigureAwait(false);
        if (wasSpeaking) await PushFrameAsync(BotStoppedSpeakingFrame.Instance, FrameDirection.Upstream).ConfigureAwait(false);
    }
}
