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

    [Fact]
    public void Segments_are_released_as_finals_cover_the_audio()
    {
        var buffer = new UncoveredAudioBuffer(capacity: 100, segmentBytes: 4);
        buffer.Append([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]); // 4 + 4 + 2
        Assert.Equal(3, buffer.SegmentCount);

        buffer.TrimTo(5);
        Assert.Equal(2, buffer.SegmentCount);
        Assert.Equal(new byte[] { 6, 7, 8, 9, 10 }, buffer.ToArray());

        buffer.TrimTo(10);
        Assert.Equal(1, buffer.SegmentCount); // one kept for what comes next
        Assert.Equal(0, buffer.Count);

        buffer.Append([11, 12, 13, 14, 15]);
        Assert.Equal(new byte[] { 11, 12, 13, 14, 15 }, buffer.ToArray());
        Assert.Equal(2, buffer.SegmentCount);
        Assert.Equal(10, buffer.StartOffset);
    }

    [Fact]
    public void Capacity_is_enforced_across_segment_boundaries()
    {
        var buffer = new UncoveredAudioBuffer(capacity: 6, segmentBytes: 4);
        for (byte b = 1; b <= 20; b++) buffer.Append([b]);

        Assert.Equal(new byte[] { 15, 16, 17, 18, 19, 20 }, buffer.ToArray());
        Assert.Equal(14, buffer.DroppedBytes);
        Assert.True(buffer.SegmentCount <= 3);
    }

    [Fact]
    public void Pooled_segments_hold_a_long_call_without_growing_past_capacity()
    {
        using var buffer = new UncoveredAudioBuffer(capacity: 16_000);
        var frame = new byte[160];
        for (var i = 0; i < 1_000; i++) // 20 s of 20 ms frames, never covered by a final
        {
            frame.AsSpan().Fill((byte)i);
            buffer.Append(frame);
        }

        Assert.Equal(16_000, buffer.Count);
        Assert.Equal(160_000 - 16_000, buffer.DroppedBytes);
        Assert.True(buffer.SegmentCount <= 16_000 / UncoveredAudioBuffer.DefaultSegmentBytes + 2);
        var kept = buffer.ToArray();
        Assert.Equal(unchecked((byte)900), kept[0]); // the oldest frame kept is number 900
        Assert.Equal(unchecked((byte)999), kept[^1]);
    }
}
