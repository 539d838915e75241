namespace EstateVoice.Server.Features.Voice.Providers.Deepgram;

/// <summary>
/// Caller audio not yet covered by a final transcript, addressed by session byte offsets, so a reconnect can
/// replay it. Bounded: past <c>capacity</c> bytes the oldest audio is dropped (and counted). Grows on demand so
/// a call that gets finals regularly stays small. Not thread-safe; the owner locks.
/// </summary>
internal sealed class UncoveredAudioBuffer(int capacity)
{
    private byte[] _ring = new byte[Math.Min(capacity, 8_000)];
    private int _head; // index of the byte at StartOffset

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>Session offset of the oldest byte kept.</summary>
    public long StartOffset { get; private set; }

    /// <summary>Session offset just past the newest byte (= total bytes ever appended).</summary>
    public long EndOffset { get; private set; }

    public int Count => (int)(EndOffset - StartOffset);

    /// <summary>Bytes that fell out of the window before a final covered them (a reconnect cannot recover these).</summary>
    public long DroppedBytes { get; private set; }

    public void Append(ReadOnlySpan<byte> audio)
    {
        if (audio.Length >= Capacity)
        {
            // Only the newest Capacity bytes can be kept.
            var skip = audio.Length - Capacity;
            DroppedBytes += Count;
            DropOldest(Count);
            StartOffset += skip;
            EndOffset += skip;
            DroppedBytes += skip;
            audio = audio[skip..];
        }
        var overflow = Count + audio.Length - Capacity;
        if (overflow > 0)
        {
            DropOldest(overflow);
            DroppedBytes += overflow;
        }
        EnsureRoom(Count + audio.Length);
        var tail = (_head + Count) % _ring.Length;
        var first = Math.Min(audio.Length, _ring.Length - tail);
        audio[..first].CopyTo(_ring.AsSpan(tail));
        audio[first..].CopyTo(_ring);
        EndOffset += audio.Length;
    }

    /// <summary>Forgets audio before <paramref name="offset"/> (a final result covered it). Out-of-range offsets are clamped.</summary>
    public void TrimTo(long offset)
    {
        if (offset <= StartOffset) return;
        DropOldest((int)(Math.Min(offset, EndOffset) - StartOffset));
    }

    public byte[] ToArray()
    {
        var result = new byte[Count];
        var first = Math.Min(Count, _ring.Length - _head);
        _ring.AsSpan(_head, first).CopyTo(result);
        _ring.AsSpan(0, Count - first).CopyTo(result.AsSpan(first));
        return result;
    }

    private void DropOldest(int bytes)
    {
        StartOffset += bytes;
        _head = Count == 0 ? 0 : (_head + bytes) % _ring.Length;
    }

    private void EnsureRoom(int needed)
    {
        if (needed <= _ring.Length) return;
        var grown = new byte[Math.Min(Capacity, Math.Max(needed, _ring.Length * 2))];
        var data = ToArray();
        data.CopyTo(grown, 0);
        _ring = grown;
        _head = 0;
    }
}
