using EstateVoice.Server.Features.Voice.Stages;

namespace EstateVoice.Server.Tests.Features.Voice.Stages;

public sealed class AudioChunkPoolTests
{
    [Fact]
    public void A_copied_chunk_keeps_its_bytes_after_the_providers_buffer_is_reused()
    {
        var providerBuffer = Enumerable.Range(0, 1600).Select(i => (byte)i).ToArray();
        var frame = AudioChunkPool.Copy(providerBuffer);
        Array.Fill(providerBuffer, (byte)0xFF); // the provider reads the next chunk into the same buffer

        Assert.Equal(1600, frame.Mulaw.Length);
        Assert.Equal(Enumerable.Range(0, 1600).Select(i => (byte)i), frame.Mulaw.ToArray());
        Assert.NotNull(frame.Pooled);
        AudioChunkPool.Return(frame);
    }

    [Fact]
    public void A_chunk_longer_than_one_piece_is_refused_so_callers_cut_it()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AudioChunkPool.Copy(new byte[AudioChunkPool.ChunkBytes + 1]));
    }
}
