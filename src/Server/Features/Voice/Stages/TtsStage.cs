using EstateVoice.Server.Features.Voice.Pipeline;
using EstateVoice.Server.Features.Voice.Providers;
using Microsoft.Extensions.Logging;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// Synthesises each sentence as it arrives and streams its audio on, followed by a sentence-end marker. A provider
/// that drops the connection, answers an error or goes quiet (first byte, or between chunks, past the configured
/// timeouts; remote providers only) gets the sentence again on a new request; after that the fallback voice (espeak-ng, when installed)
/// says it, and without one the sentence is skipped and reported — the pipeline never waits on a dead provider.
/// </summary>
public sealed class TtsStage(ITextToSpeech tts, ITextToSpeech? fallback, VoiceOptions options, TimeProvider time, ILogger logger)
    : FrameProcessor
{
    // Whether the reply being spoken has had its first synthesised byte (its mark goes down once, before that audio).
    private bool _firstByteMarked;
    // While the main provider is known to be down (timestamp of its last failure), sentences skip straight to the fallback.
    private long _mainFailedAt;
    private bool _failureReported;
    // Whether the sentence being spoken has sent its start (once, before its first audio, whatever the attempt).
    private bool _sentenceStarted;

    protected override async ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken replyToken)
    {
        switch (frame)
        {
            case AgentReplyStartedFrame:
                _firstByteMarked = false;
                break;
            case SpeakSentenceFrame sentence when direction == FrameDirection.Downstream:
                await SpeakAsync(sentence.Text, replyToken).ConfigureAwait(false);
                return;
        }
        await PushFrameAsync(frame, direction).ConfigureAwait(false);
    }

    private async Task SpeakAsync(string text, CancellationToken token)
    {
        var spoken = false;
        Exception? error = null;
        _sentenceStarted = false;
        if (!MainProviderHeldDown())
        {
            for (var attempt = 1; attempt <= options.TtsAttempts && !spoken; attempt++)
            {
                (spoken, error) = await TrySynthesizeAsync(tts, text, token).ConfigureAwait(false);
                if (!spoken) logger.LogWarning(error, "Text-to-speech attempt {Attempt}/{Max} failed", attempt, options.TtsAttempts);
            }
            if (!spoken) _mainFailedAt = time.GetTimestamp();
        }
        if (!spoken && fallback is not null)
        {
            (spoken, var fallbackError) = await TrySynthesizeAsync(fallback, text, token).ConfigureAwait(false);
            if (!spoken) logger.LogWarning(fallbackError, "Fallback text-to-speech failed too");
        }
        if (!spoken)
        {
            // Skipped, not waited for: the rest of the reply (and the apology, whose audio is cached) still plays.
            logger.LogError(error, "Text-to-speech failed; sentence skipped");
            if (!_failureReported)
            {
                _failureReported = true;
                await PushFrameAsync(new ErrorFrame("tts", error?.Message ?? "text-to-speech unavailable"), FrameDirection.Upstream)
                    .ConfigureAwait(false);
            }
            return;
        }
        token.ThrowIfCancellationRequested();
        await PushFrameAsync(new SentenceAudioEndFrame(text)).ConfigureAwait(false);
    }

    private bool MainProviderHeldDown() =>
        fallback is not null && _mainFailedAt != 0 && time.GetElapsedTime(_mainFailedAt).TotalMilliseconds < options.TtsFallbackHoldMs;

    /// <summary>
    /// One request for the whole sentence. Audio of a request that fails half-way has gone on already; the retry
    /// says the sentence from its start (a person restarting a sentence) rather than splicing two syntheses.
    /// </summary>
    /// <returns>Whether the sentence was synthesised to its end; otherwise why not.</returns>
    private async Task<(bool Spoken, Exception? Error)> TrySynthesizeAsync(ITextToSpeech provider, string text, CancellationToken token)
    {
        using var watchdog = new StallWatchdog(time, token);
        var timed = provider.IsRemote;
        try
        {
            if (timed) watchdog.Arm(TimeSpan.FromMilliseconds(options.TtsFirstByteTimeoutMs));
            await foreach (var chunk in provider.SynthesizeAsync(text, watchdog.Token).ConfigureAwait(false))
            {
                if (chunk.IsEmpty) continue;
                if (timed) watchdog.Arm(TimeSpan.FromMilliseconds(options.TtsStallTimeoutMs));
                token.ThrowIfCancellationRequested();
                if (!_firstByteMarked)
                {
                    _firstByteMarked = true;
                    await PushFrameAsync(new ReplyMarkFrame(ReplyMark.TtsFirstByte, time.GetTimestamp())).ConfigureAwait(false);
                }
                if (!_sentenceStarted)
                {
                    _sentenceStarted = true;
                    await PushFrameAsync(new SentenceAudioStartFrame(text)).ConfigureAwait(false);
                }
                // Copied: the chunk is only valid until the provider reads on (see ITextToSpeech).
                for (var rest = chunk; !rest.IsEmpty;)
                {
                    var piece = Math.Min(rest.Length, AudioChunkPool.ChunkBytes);
                    await PushFrameAsync(AudioChunkPool.Copy(rest.Span[..piece])).ConfigureAwait(false);
                    rest = rest[piece..];
                }
            }
            return (true, null);
        }
        catch (Exception ex) when (!token.IsCancellationRequested)
        {
            return (false, watchdog.Expired ? new TimeoutException("text-to-speech stalled", ex) : ex);
        }
    }
}
