using EstateVoice.Server.Features.Voice.Pipeline;
using EstateVoice.Server.Features.Voice.Providers;
using Microsoft.Extensions.Logging;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>Synthesises each sentence as it arrives and streams its audio on, followed by a sentence-end marker.</summary>
public sealed class TtsStage(ITextToSpeech tts, TimeProvider time, ILogger logger) : FrameProcessor
{
    private ReplyTimings? _timings;
    private bool _failed;

    protected override async ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken replyToken)
    {
        switch (frame)
        {
            case AgentReplyStartedFrame started:
                _timings = started.Timings;
                break;
            case AgentReplyEndedFrame:
                break;
            case SpeakSentenceFrame sentence when direction == FrameDirection.Downstream:
                if (!_failed) await SpeakAsync(sentence.Text, replyToken).ConfigureAwait(false);
                return;
        }
        await PushFrameAsync(frame, direction).ConfigureAwait(false);
    }

    private async Task SpeakAsync(string text, CancellationToken token)
    {
        var any = false;
        try
        {
            await foreach (var chunk in tts.SynthesizeAsync(text, token).ConfigureAwait(false))
            {
                if (chunk.IsEmpty) continue;
                if (!any && _timings is { TtsFirstByteAt: null } t) t.TtsFirstByteAt = time.GetTimestamp();
                any = true;
                token.ThrowIfCancellationRequested();
                // Copied: the chunk is only valid until the provider reads on (see ITextToSpeech).
                for (var rest = chunk; !rest.IsEmpty;)
                {
                    var piece = Math.Min(rest.Length, AudioChunkPool.ChunkBytes);
                    await PushFrameAsync(AudioChunkPool.Copy(rest.Span[..piece])).ConfigureAwait(false);
                    rest = rest[piece..];
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
        {
            logger.LogError(ex, "Text-to-speech failed");
            _failed = true;
            await PushFrameAsync(new ErrorFrame("tts", ex.Message, fatal: true), FrameDirection.Upstream).ConfigureAwait(false);
            return;
        }
        token.ThrowIfCancellationRequested();
        await PushFrameAsync(new SentenceAudioEndFrame(text)).ConfigureAwait(false);
    }
}
