using System.Buffers;
using EstateVoice.Server.Features.Voice.Providers;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// The caller's audio from before speech-to-text was ready (see <see cref="SttStage"/>), kept in one pooled buffer
/// and sent on in 20 ms frames, as it came. Capped: past <see cref="MaxMs"/> a start that slow has failed anyway,
/// and the oldest audio matters most (the caller's first words). Used by one thread at a time (the stage's lock).
/// </summary>
internal sealed class EarlyAudio
{
    public const int MaxMs = 10_000;
    private const int MaxBytes = MaxMs / MuLaw.FrameMs * MuLaw.FrameBytes;
    private byte[]? _buffer;

    public int Length { get; private set; }

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
        _buffer = null;
        Length = 0;
        if (buffer is null) return;
        try
        {
            for (var i = 0; i < length; i += MuLaw.FrameBytes)
                await session.SendAudioAsync(buffer.AsMemory(i, Math.Min(MuLaw.FrameBytes, length - i)), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Clear()
    {
        if (_buffer is not null) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
        Length = 0;
    }
}
