namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// The last few outbound frames, kept so a barge-in pause can re-send what its <c>clear</c> discarded. What Twilio
/// still has queued is at most the pacing lead plus a frame, so a ring of that size (one array per call) is enough.
/// Owned by the output stage's send loop.
/// </summary>
internal sealed class RecentFrames(int capacity, int frameBytes)
{
    private readonly byte[] _ring = new byte[capacity * frameBytes];

    public int Capacity => capacity;

    /// <summary>Stores frame number <paramref name="index"/> of the turn, overwriting the oldest.</summary>
    public void Record(int index, ReadOnlySpan<byte> frame) =>
        frame.CopyTo(_ring.AsSpan(index % capacity * frameBytes, frameBytes));

    /// <summary>Frame number <paramref name="index"/>; valid while fewer than <see cref="Capacity"/> frames were recorded after it.</summary>
    public ReadOnlyMemory<byte> Get(int index) => _ring.AsMemory(index % capacity * frameBytes, frameBytes);

    /// <summary>The oldest frame still held once <paramref name="recorded"/> frames have been recorded.</summary>
    public int Oldest(int recorded) => Math.Max(0, recorded - capacity);
}
