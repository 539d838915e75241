using System.Buffers;

namespace EstateVoice.Server.Features.Voice.Providers.Deepgram;

/// <summary>
/// Caller audio not yet covered by a final transcript, addressed by session byte offsets, so a reconnect can
/// replay it. Bounded: past <c>capacity</c> bytes the oldest audio is dropped (and counted). Not thread-safe; the owner locks.
/// </summary>
/// <remarks>
/// Held in small pooled segments rather than one growing array: between a caller's turns nothing final covers the
/// silence, so every call's buffer fills with seconds of it. A doubling array then reallocates and copies on every
/// call, and past 85 kB lands on the large-object heap, whose budget triggers full collections — at 200 calls this
/// buffer was 40 % of the server's allocations. Segments are rented as audio arrives and returned as finals cover it.
/// </remarks>
internal sealed class UncoveredAudioBuffer : IDisposable
{
    public const int DefaultSegmentBytes = 4096; // half a second of 8 kHz mu-law
    // Shared by every call. Sized for a few hundred calls each holding the silence since their last final (about ten
    // seconds, twenty segments, when the recogniser finalises only speech): a pool too small to take a segment back
    // drops it, and the next call allocates one that lives long enough to be promoted — the cost pooling avoids.
    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(DefaultSegmentBytes, maxArraysPerBucket: 8192);

    private readonly Queue<byte[]> _segments = new();
    private byte[]? _tail; // the last segment, written to next
    private readonly int _segmentBytes;
    private int _head; // index, in the first segment, of the byte at StartOffset
    private int _tailFill; // bytes written to the last segment

    public UncoveredAudioBuffer(int capacity, int segmentBytes = DefaultSegmentBytes)
    {
        Capacity = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));
        _segmentBytes = segmentBytes is > 0 and <= DefaultSegmentBytes ? segmentBytes : throw new ArgumentOutOfRangeException(nameof(segmentBytes));
    }

    public int Capacity { get; }

    /// <summary>Session offset of the oldest byte kept.</summary>
    public long StartOffset { get; private set; }

    /// <summary>Session offset just past the newest byte (= total bytes ever appended).</summary>
    public long EndOffset { get; private set; }

    public int Count => (int)(EndOffset - StartOffset);

    /// <summary>Bytes that fell out of the window before a final covered them (a reconnect cannot recover these).</summary>
    public long DroppedBytes { get; private set; }

    /// <summary>Segments held right now (for tests: they go back to the pool as audio is covered).</summary>
    public int SegmentCount => _segments.Count;

    public void Append(ReadOnlySpan<byte> audio)
    {
        if (audio.Length >= Capacity)
        {
            // Only the newest Capacity bytes can be kept.
            var skip = audio.Length - Capacity;
            DroppedBytes += Count + skip;
            DropOldest(Count);
            StartOffset += skip;
            EndOffset += skip;
            audio = audio[skip..];
        }
        var overflow = Count + audio.Length - Capacity;
        if (overflow > 0)
        {
            DropOldest(overflow);
            DroppedBytes += overflow;
        }
        EndOffset += audio.Length;
        while (!audio.IsEmpty)
        {
            if (_segments.Count == 0 || _tailFill == _segmentBytes)
            {
                _tail = Rent();
                _segments.Enqueue(_tail);
                _tailFill = 0;
            }
            var n = Math.Min(audio.Length, _segmentBytes - _tailFill);
            audio[..n].CopyTo(_tail!.AsSpan(_tailFill));
            _tailFill += n;
            audio = audio[n..];
        }
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
        var written = 0;
        var index = 0;
        foreach (var segment in _segments)
        {
            var from = index == 0 ? _head : 0;
            var to = index == _segments.Count - 1 ? _tailFill : _segmentBytes;
            segment.AsSpan(from, to - from).CopyTo(result.AsSpan(written));
            written += to - from;
            index++;
        }
        return result;
    }

    public void Dispose()
    {
        while (_segments.TryDequeue(out var segment)) Pool.Return(segment);
        _tail = null;
        StartOffset = EndOffset;
        _head = _tailFill = 0;
    }

    private void DropOldest(int bytes)
    {
        if (bytes <= 0) return;
        StartOffset += bytes;
        _head += bytes;
        while (_segments.Count > 1 && _head >= _segmentBytes)
        {
            Pool.Return(_segments.Dequeue());
            _head -= _segmentBytes;
        }
        if (Count == 0)
        {
            // Keep one segment for the audio that comes next (the common case: a final covered everything).
            _head = 0;
            _tailFill = 0;
        }
    }

    // The pool may hand out a longer array (tests use tiny segments); only the first _segmentBytes are used.
    private byte[] Rent() => Pool.Rent(_segmentBytes);
}
