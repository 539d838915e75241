using EstateVoice.Server.Features.Voice.Providers.Deepgram;

namespace EstateVoice.Server.Tests.Features.Voice.Providers;

public sealed class UncoveredAudioBufferTests
{
    [Fact]
    public void Keeps_bytes_by_session_offset_across_trims_and_wraparound()
    {
        var buffer = new UncoveredAudioBuffer(capacity: 10);
        buffer.Append([0, 1, 2, 3, 4, 5]);
        buffer.TrimTo(4);
        buffer.Append([6, 7, 8, 9, 10, 11, 12]); // wraps in the ring

        Assert.Equal(4, buffer.StartOffset);
        Assert.Equal(13, buffer.EndOffset);
        Assert.Equal(new byte[] { 4, 5, 6, 7, 8, 9, 10, 11, 12 }, buffer.ToArray());
        Assert.Equal(0, buffer.DroppedBytes);
    }

    [Fact]
    public void Drops_the_oldest_audio_past_capacity_and_counts_it()
    {
        var buffer = new UncoveredAudioBuffer(capacity: 4);
        buffer.Append([1, 2, 3]);
        buffer.Append([4, 5, 6]);

        Assert.Equal(new byte[] { 3, 4, 5, 6 }, buffer.ToArray());
        Assert.Equal(2, buffer.StartOffset);
        Assert.Equal(2, buffer.DroppedBytes);

        buffer.Append([7, 8, 9, 10, 11]);
        Assert.Equal(new byte[] { 8, 9, 10, 11 }, buffer.ToArray());
        Assert.Equal(7, buffer.StartOffset);
        Assert.Equal(7, buffer.DroppedBytes);
    }

    [Fact]
    public void Trimming_outside_the_window_is_clamped()
    {
        var buffer = new UncoveredAudioBuffer(capacity: 8);
        buffer.Append([1, 2, 3]);
        buffer.TrimTo(-5);
        Assert.Equal(3, buffer.Count);
        buffer.TrimTo(100);
        Assert.Equal(0, buffer.Count);
        Assert.Equal(3, buffer.StartOffset);
        buffer.Append([4]);
        Assert.Equal(new byte[] { 4 }, buffer.ToArray());
    }
}
