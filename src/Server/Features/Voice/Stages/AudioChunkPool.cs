using System.Buffers;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// Buffers for synthesised audio on its way to the paced sender. A reply's audio arrives faster than real time and
/// waits in the output queue for seconds, so fresh arrays would outlive a gen-0 collection and be copied into the
/// older generations — at 200 calls they were most of what each collection promoted, and so of its pause. Pooled
/// buffers live in the old generation once and are reused; one the sender never reaches (flushed by an
/// interruption) is simply left to the collector.
/// </summary>
public static class AudioChunkPool
{
    /// <summary>The largest piece one frame carries (half a second); longer chunks are cut.</summary>
    public const int ChunkBytes = 4096;
    // A few hundred calls each hold a few seconds of queued audio in chunks of about 2 kB.
    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(ChunkBytes, maxArraysPerBucket: 4096);

    /// <summary>Copies (a piece of at most <see cref="ChunkBytes"/> of) a provider's chunk into a pooled frame.</summary>
    public static OutputAudioFrame Copy(ReadOnlySpan<byte> chunk)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunk.Length, ChunkBytes);
        var buffer = Pool.Rent(chunk.Length);
        chunk.CopyTo(buffer);
        return new OutputAudioFrame(buffer.AsMemory(0, chunk.Length), buffer);
    }

    public static void Return(OutputAudioFrame frame)
    {
        if (frame.Pooled is { } buffer) Pool.Return(buffer);
    }
}
