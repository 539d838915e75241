using EstateVoice.Server.Features.Voice.Pipeline;
using EstateVoice.Server.Features.Voice.Providers;
using Microsoft.Extensions.Logging;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// Streams caller audio to the speech-to-text session as it arrives (no buffering here) and turns its events into
/// frames. The audio stops at this stage; only words and speech events travel on.
/// </summary>
public sealed class SttStage(ISpeechToText stt, SpeechToTextOptions sttOptions, ILogger logger) : FrameProcessor
{
    private ISpeechToTextSession? _session;
    private Task<ISpeechToTextSession?>? _starting;
    private Task? _events;
    private bool _failed;

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
            var session = await stt.StartAsync(sttOptions, lifetime).ConfigureAwait(false);
            _events = Task.Run(() => ReadEventsAsync(session, lifetime), CancellationToken.None);
            return _session = session;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Speech-to-text failed to start");
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

    protected override async ValueTask ProcessSystemFrameAsync(Frame frame, FrameDirection direction, CancellationToken lifetime)
    {
        if (frame is InputAudioFrame audio)
        {
            var session = await SessionAsync().ConfigureAwait(false);
            if (session is null || _failed) return;
            try
            {
                await session.SendAudioAsync(audio.Mulaw, lifetime).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Speech-to-text send failed");
                await FailAsync(ex.Message).ConfigureAwait(false);
            }
            return;
        }
        await PushFrameAsync(frame, direction).ConfigureAwait(false);
    }

    private async Task ReadEventsAsync(ISpeechToTextSession session, CancellationToken lifetime)
    {
        try
        {
            await foreach (var e in session.ReadEventsAsync(lifetime).ConfigureAwait(false))
            {
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
                        logger.LogWarning("Speech-to-text warning: {Message}", err.Message);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Speech-to-text stream failed");
            await FailAsync(ex.Message).ConfigureAwait(false);
        }
    }

    private ValueTask FailAsync(string message)
    {
        if (_failed) return ValueTask.CompletedTask;
        _failed = true;
        return PushFrameAsync(new ErrorFrame("stt", message, fatal: true));
    }

    /// <summary>Flushes the provider so the caller's last words still arrive (Deepgram CloseStream).</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        var session = await SessionAsync().ConfigureAwait(false);
        if (session is null || _failed) return;
        try
        {
            await session.CompleteAsync(cancellationToken).ConfigureAwait(false);
            if (_events is not null) await _events.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogDebug(ex, "Speech-to-text completion failed");
        }
    }

    public override async ValueTask DisposeAsync()
    {
        var session = await SessionAsync().ConfigureAwait(false);
        if (session is not null)
        {
            try { await session.DisposeAsync().ConfigureAwait(false); }
            catch (Exception ex) { logger.LogDebug(ex, "Speech-to-text dispose failed"); }
        }
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
