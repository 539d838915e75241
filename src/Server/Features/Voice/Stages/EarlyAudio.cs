using System.Buffers;
using EstateVoice.Server.Features.Voice.Providers;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// The caller's audio from before speech-to-text was ready (see <see cref="SttStage"/>), kept in one pooled buffer
/// and sent on in 20 ms frames, as it came. Capped: past <see cref="MaxMs"/> a start that slow has failed anyway,
/// and the oldest audio matters most (the caller's first words). Used by one thread at a time (the stage's lock).
/// The VAD's end of speech inside that audio is kept at its place and told to the session when the flush reaches it:
/// told at once it would be lost (no session yet) or dated before the kept audio (the session just became ready), and
/// the session's watch for a recogniser that answers nothing after speech would never start or fire early.
/// </summary>
internal sealed class EarlyAudio
{
    public const int MaxMs = 10_000;
    private const int MaxBytes = MaxMs / MuLaw.FrameMs * MuLaw.FrameBytes;
    private byte[]? _buffer;
    private int _speechEndAt = -1;

    public int Length { get; private set; }

    /// <summary>Nothing kept: no audio and no end of speech.</summary>
    public bool IsEmpty => Length == 0 && _speechEndAt < 0;

    /// <summary>The caller stopped speaking at the end of the audio kept so far.</summary>
    public void MarkSpeechEnd() => _speechEndAt = Length;

    public void Keep(ReadOnlySpan<byte> mulaw)
    {
        var take = Math.Min(mulaw.Length, MaxBytes - Length);
        if (take <= 0) return;
        if (_buffer is null || _buffer.Length < Length + take)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Min(MaxBytes, Math.Max(Length + take, (_buffer?.Length ?? 0) * 2 + 4096)));
            if (_buffer is not null)
            {
                _buffer.AsSpan(0, Length).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_buffer);
            }
            _buffer = grown;
        }
        mulaw[..take].CopyTo(_buffer.AsSpan(Length));
        Length += take;
    }

    public async ValueTask FlushAsync(ISpeechToTextSession session, CancellationToken cancellationToken)
    {
        var buffer = _buffer;
        var length = Length;
        var speechEndAt = _speechEndAt;
        _buffer = null;
        Length = 0;
        _speechEndAt = -1;
        try
        {
            var speechEndTold = speechEndAt < 0;
            for (var i = 0; i < length; i += MuLaw.FrameBytes)
            {
                if (!speechEndTold && i >= speechEndAt)
                {
                    session.CallerStoppedSpeaking();
                    speechEndTold = true;
                }
                await session.SendAudioAsync(buffer!.AsMemory(i, Math.Min(MuLaw.FrameBytes, length - i)), cancellationToken).ConfigureAwait(false);
            }
            if (!speechEndTold) session.CallerStoppedSpeaking();
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Clear()
    {
        if (_buffer is not null) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
        Length = 0;
        _speechEndAt = -1;
    }
}
