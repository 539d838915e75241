using EstateVoice.Server.Features.Voice.Pipeline;
using EstateVoice.Server.Features.Voice.Providers;
using Microsoft.Extensions.Logging;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// Streams caller audio to the speech-to-text session as it arrives — frame by frame whenever an answer may be waited
/// on, in 100 ms messages while none can be (<see cref="RecogniserAudioBatch"/>) — and turns its events into frames.
/// The audio stops at this stage; only words and speech events travel on.
/// While the provider's connection is down (the session keeps the audio and reconnects by itself) this stage keeps
/// the caller from talking into a void: once the outage lasts <see cref="VoiceOptions.SttOutageNoticeMs"/>, and again
/// each time they stop talking during it, the agent says it has trouble hearing them; after
/// <see cref="VoiceOptions.SttOutageGiveUpMs"/> the failure goes on and the agent (which ends the call on a speech-to-text failure) says goodbye.
/// While the session is still starting (a provider connect, a local model load) the caller's audio is kept from
/// the first frame and fed to it, in order, once it is ready — without holding up the frames behind it: the VAD
/// and barge-in upstream of this stage keep seeing audio in real time.
/// The VAD's end of each utterance is passed to the session: a provider connection that takes the caller's speech
/// and answers nothing is treated as lost (see <see cref="ISpeechToTextSession.CallerStoppedSpeaking"/>).
/// </summary>
public sealed class SttStage : FrameProcessor
{
    private readonly ISpeechToText _stt;
    private readonly SpeechToTextOptions _sttOptions;
    private readonly VoiceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _outageTimer;
    private readonly Lock _outageGate = new();
    private ISpeechToTextSession? _session;
    private Task<ISpeechToTextSession?>? _starting;
    private Task? _events;
    private volatile bool _failed;
    // Outage state, under _outageGate: when the connection went down (0 = up), whether the notice was said during
    // it, and whether the caller is talking (the notice waits until they stop).
    private long _outageSince;
    private bool _noticeSaid;
    private bool _userSpeaking;
    // Caller audio that arrived while the session was starting (copied: a frame's buffer is its sender's).
    private readonly EarlyAudio _early = new();
    // Frame by frame while an answer may be waited on, 100 ms a message otherwise (see RecogniserAudioBatch).
    private readonly RecogniserAudioBatch _batch = new();

    public SttStage(ISpeechToText stt, SpeechToTextOptions sttOptions, VoiceOptions options, TimeProvider time, ILogger logger)
    {
        _stt = stt;
        _sttOptions = sttOptions;
        _options = options;
        _time = time;
        _logger = logger;
        _outageTimer = time.CreateTimer(static state => ((SttStage)state!).OnOutageTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public override async Task StartAsync(CancellationToken lifetime)
    {
        await base.StartAsync(lifetime).ConfigureAwait(false);
        // Not awaited: the greeting must not wait for a provider connection or a local model load. Caller audio
        // that arrives meanwhile waits in order in ProcessSystemFrameAsync, so no words are lost.
        _starting = StartSessionAsync(lifetime);
    }

    private async Task<ISpeechToTextSession?> StartSessionAsync(CancellationToken lifetime)
    {
        try
        {
            var session = await _stt.StartAsync(_sttOptions, lifetime).ConfigureAwait(false);
            _events = Task.Run(() => ReadEventsAsync(session, lifetime), CancellationToken.None);
            _session = session;
            // The audio kept meanwhile goes now (in order, under the stage's lock), even if the caller has gone quiet.
            await QueueFrameAsync(FlushEarlyAudioFrame.Instance).ConfigureAwait(false);
            return session;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "Speech-to-text failed to start");
            await FailAsync(ex.Message).ConfigureAwait(false);
            return null;
        }
    }

    private async ValueTask<ISpeechToTextSession?> SessionAsync()
    {
        if (_session is not null || _starting is null) return _session;
        try { return await _starting.ConfigureAwait(false); }
        catch (OperationCanceledException) { return null; }
    }

    private async ValueTask SendAsync(InputAudioFrame audio, CancellationToken lifetime)
    {
        var session = await SessionAsync().ConfigureAwait(false);
        if (session is null || _failed)
        {
            _early.Clear();
            return;
        }
        try
        {
            // System frames reach this stage one at a time, so the kept audio goes out ahead of this frame.
            if (!_early.IsEmpty) await _early.FlushAsync(session, lifetime).ConfigureAwait(false);
            await _batch.SendAsync(session, audio.Mulaw, lifetime).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "Speech-to-text send failed");
            await FailAsync(ex.Message).ConfigureAwait(false);
        }
    }

    protected override async ValueTask ProcessSystemFrameAsync(Frame frame, FrameDirection direction, CancellationToken lifetime)
    {
        // The caller's audio stopped coming: what is held goes now rather than when (if) audio comes back.
        if (frame is CallerAudioGapFrame && _batch.HeldBytes > 0 && _session is { } open && !_failed)
            await SendOrFailAsync(static (stage, session, ct) => stage._batch.FlushAsync(session, ct), open, lifetime).ConfigureAwait(false);
        if (frame is FlushEarlyAudioFrame)
        {
            if (_early.IsEmpty || _session is not { } ready || _failed) return;
            await SendOrFailAsync(static (stage, session, ct) => stage._early.FlushAsync(session, ct), ready, lifetime).ConfigureAwait(false);
            return;
        }
        if (frame is InputAudioFrame audio)
        {
            // Audio that comes while the session starts is kept and sent ahead of the next frame once it is ready.
            if (_session is null && _starting is { IsCompleted: false }) _early.Keep(audio.Mulaw.Span);
            else await SendAsync(audio, lifetime).ConfigureAwait(false);
            // On to the barge-in stage, whose clock the caller's audio is (it goes no further).
            await PushFrameAsync(frame, direction).ConfigureAwait(false);
            return;
        }
        if (frame is UserStartedSpeakingFrame)
        {
            // Its audio goes frame by frame from the next one, which takes what is held along.
            _batch.CallerStarted();
            lock (_outageGate) _userSpeaking = true;
        }
        var notice = false;
        if (frame is UserStoppedSpeakingFrame)
        {
            // The recogniser owes an answer for that speech now; one that stays silent is stalled (it reconnects).
            // Audio still kept from the start goes first, so the end of speech waits at its place in it.
            if (!_early.IsEmpty || (_session is null && _starting is { IsCompleted: false })) _early.MarkSpeechEnd();
            else _session?.CallerStoppedSpeaking();
            _batch.CallerStopped();
            lock (_outageGate)
            {
                _userSpeaking = false;
                // They said something we could not hear: tell them now rather than leave them waiting for an answer.
                notice = _outageSince != 0 && (_noticeSaid || _time.GetElapsedTime(_outageSince).TotalMilliseconds >= _options.SttOutageNoticeMs);
                if (notice) _noticeSaid = true;
            }
        }
        await PushFrameAsync(frame, direction).ConfigureAwait(false);
        if (notice) await SayTroubleHearingAsync().ConfigureAwait(false);
    }

    private async Task ReadEventsAsync(ISpeechToTextSession session, CancellationToken lifetime)
    {
        try
        {
            await foreach (var e in session.ReadEventsAsync(lifetime).ConfigureAwait(false))
            {
                _batch.Heard(e);
                switch (e)
                {
                    case SttTranscript t when !string.IsNullOrWhiteSpace(t.Text) || t.SpeechFinal:
                        await QueueFrameAsync(new TranscriptionFrame(t.Text, t.IsFinal, t.SpeechFinal, t.Start, t.End)).ConfigureAwait(false);
                        break;
                    case SttUtteranceEnd u:
                        await QueueFrameAsync(new UtteranceEndFrame(u.LastWordEnd)).ConfigureAwait(false);
                        break;
                    case SttError { Recoverable: false } err:
                        await FailAsync(err.Message).ConfigureAwait(false);
                        return;
                    case SttError err:
                        _logger.LogWarning("Speech-to-text warning: {Message}", err.Message);
                        break;
                    case SttConnectionLost lost:
                        OnConnectionLost(lost.QuietFor);
                        await QueueFrameAsync(new SpeechRecognitionRecoveryFrame(recovering: true)).ConfigureAwait(false);
                        break;
                    case SttConnectionRestored:
                        OnConnectionRestored();
                        await QueueFrameAsync(new SpeechRecognitionRecoveryFrame(recovering: false)).ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Speech-to-text stream failed");
            await FailAsync(ex.Message).ConfigureAwait(false);
        }
    }

    /// <summary>A send outside the audio path (kept or held audio); a failure fails the stage as a frame's send does.</summary>
    private async ValueTask SendOrFailAsync(Func<SttStage, ISpeechToTextSession, CancellationToken, ValueTask> send, ISpeechToTextSession session,
        CancellationToken lifetime)
    {
        try
        {
            await send(this, session, lifetime).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "Speech-to-text send failed");
            await FailAsync(ex.Message).ConfigureAwait(false);
        }
    }

    private ValueTask FailAsync(string message)
    {
        if (_failed) return ValueTask.CompletedTask;
        _failed = true;
        _outageTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return PushFrameAsync(new ErrorFrame("stt", message));
    }

    private void OnConnectionLost(TimeSpan quietFor)
    {
        lock (_outageGate)
        {
            if (_outageSince != 0 || _failed) return;
            // Dated from when the provider went quiet, so a stall's detection time does not delay the notice.
            var now = _time.GetTimestamp();
            _outageSince = Math.Max(1, now - (long)(quietFor.TotalSeconds * _time.TimestampFrequency));
            _noticeSaid = false;
            var untilNotice = TimeSpan.FromMilliseconds(_options.SttOutageNoticeMs) - quietFor;
            _outageTimer.Change(untilNotice > TimeSpan.Zero ? untilNotice : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
        _logger.LogWarning("Speech-to-text connection lost for call {CallSid}; reconnecting", _sttOptions.CallSid);
    }

    private void OnConnectionRestored()
    {
        TimeSpan down;
        lock (_outageGate)
        {
            if (_outageSince == 0) return;
            down = _time.GetElapsedTime(_outageSince);
            _outageSince = 0;
            _outageTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        _logger.LogInformation("Speech-to-text connection back for call {CallSid} after {Ms:F0} ms", _sttOptions.CallSid, down.TotalMilliseconds);
    }

    /// <summary>Fires at the notice time (say it unless the caller is talking), then at the give-up time.</summary>
    private void OnOutageTimer()
    {
        bool notice = false, giveUp = false;
        lock (_outageGate)
        {
            if (_outageSince == 0 || _failed) return;
            var down = _time.GetElapsedTime(_outageSince);
            var giveUpAt = TimeSpan.FromMilliseconds(_options.SttOutageGiveUpMs);
            if (down >= giveUpAt)
            {
                giveUp = true;
            }
            else
            {
                notice = !_noticeSaid && !_userSpeaking;
                _noticeSaid |= notice;
                _outageTimer.Change(giveUpAt - down, Timeout.InfiniteTimeSpan);
            }
        }
        if (giveUp)
            _ = FailAsync($"speech recognition unavailable for {_options.SttOutageGiveUpMs / 1000.0:0.#} s").AsTask();
        else if (notice)
            _ = SayTroubleHearingAsync().AsTask();
    }

    /// <summary>A fixed phrase, its audio cached: it plays even if the outage is wider than speech-to-text.</summary>
    private async ValueTask SayTroubleHearingAsync()
    {
        await PushFrameAsync(AgentReplyStartedFrame.Unprompted).ConfigureAwait(false);
        await PushFrameAsync(new SpeakSentenceFrame(_options.TroubleHearingNotice)).ConfigureAwait(false);
        await PushFrameAsync(AgentReplyEndedFrame.Instance).ConfigureAwait(false);
    }

    private sealed class FlushEarlyAudioFrame : SystemFrame
    {
        public static readonly FlushEarlyAudioFrame Instance = new();
    }

    /// <summary>Flushes the provider so the caller's last words still arrive (Deepgram CloseStream).</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        var session = await SessionAsync().ConfigureAwait(false);
        bool down;
        lock (_outageGate) down = _outageSince != 0;
        // Disconnected there is nothing to flush, and waiting for a reconnect would only hold the call's end up.
        if (session is null || _failed || down) return;
        try
        {
            if (!_early.IsEmpty) await _early.FlushAsync(session, cancellationToken).ConfigureAwait(false);
            await _batch.FlushAsync(session, cancellationToken).ConfigureAwait(false);
            await session.CompleteAsync(cancellationToken).ConfigureAwait(false);
            if (_events is not null) await _events.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _logger.LogDebug("Speech-to-text completion timed out");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogDebug(ex, "Speech-to-text completion failed");
        }
    }

    public override async ValueTask DisposeAsync()
    {
        var session = await SessionAsync().ConfigureAwait(false);
        if (session is not null)
        {
            try { await session.DisposeAsync().ConfigureAwait(false); }
            catch (Exception ex) { _logger.LogDebug(ex, "Speech-to-text dispose failed"); }
        }
        await _outageTimer.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
        _early.Clear();
    }
}
