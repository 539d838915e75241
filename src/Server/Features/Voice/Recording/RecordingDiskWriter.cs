using System.Buffers;
using System.Threading.Channels;
using EstateVoice.Server.Features.Voice.Twilio;
using Microsoft.Win32.SafeHandles;

namespace EstateVoice.Server.Features.Voice.Recording;

/// <summary>Where a recording's bytes go (tests put a slow or blocked disk here).</summary>
public interface IRecordingFileSink
{
    void Write(SafeFileHandle file, ReadOnlySpan<byte> bytes, long offset);
}

public sealed class RandomAccessFileSink : IRecordingFileSink
{
    public void Write(SafeFileHandle file, ReadOnlySpan<byte> bytes, long offset) => RandomAccess.Write(file, bytes, offset);
}

/// <summary>
/// The node's one writer of call recordings: the taps hand it pooled pieces through a bounded queue and return at once,
/// so a slow disk never stalls a call's audio. One consumer writes the pieces in the order they came (so each call's in
/// its order). A full queue drops the piece (the tap counts it and leaves a hole that the completion fills with
/// silence, so the file keeps the call's timeline); a call's completion waits, off the audio path, until its pieces
/// are on disk.
/// </summary>
public sealed class RecordingDiskWriter : IAsyncDisposable
{
    /// <summary>8 MB of 8 kB pieces: about a second of 500 calls' audio.</summary>
    public const int DefaultCapacity = 1024;
    private static readonly Lazy<RecordingDiskWriter> Shared = new(() => new RecordingDiskWriter());
    private readonly Channel<RecordingPiece> _pieces;
    private readonly IRecordingFileSink _sink;
    private readonly Task _consumer;
    private long _dropped;

    public RecordingDiskWriter(int capacity = DefaultCapacity, IRecordingFileSink? sink = null)
    {
        _sink = sink ?? new RandomAccessFileSink();
        _pieces = Channel.CreateBounded<RecordingPiece>(new BoundedChannelOptions(Math.Max(1, capacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then says "full" (the tap drops); WriteAsync waits (the ending)
        });
        _consumer = Task.Run(WriteAllAsync);
    }

    /// <summary>A process-wide writer for taps made without one (tools, tests); the server's comes from DI.</summary>
    public static RecordingDiskWriter Default => Shared.Value;

    /// <summary>Pieces dropped because the queue was full, since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The audio path: queued, or false when the queue is full (the caller keeps nothing; the bytes go back to the pool).</summary>
    internal bool TryWrite(RecordingPiece piece)
    {
        if (_pieces.Writer.TryWrite(piece)) return true;
        Interlocked.Increment(ref _dropped);
        piece.Return();
        return false;
    }

    /// <summary>The ending path: waits for room (never dropped).</summary>
    internal ValueTask WriteAsync(RecordingPiece piece, CancellationToken cancellationToken) => _pieces.Writer.WriteAsync(piece, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _pieces.Writer.TryComplete();
        await _consumer.ConfigureAwait(false);
    }

    private async Task WriteAllAsync()
    {
        await foreach (var piece in _pieces.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                piece.File.Apply(piece, _sink);
            }
            finally
            {
                piece.Return();
            }
        }
    }
}

/// <summary>
/// A piece of a call's WAV at <paramref name="Offset"/> (<paramref name="Length"/> bytes of a pooled array), or the
/// call's last piece (<paramref name="Samples"/> set): fill the holes, write the header's sizes, close the file.
/// </summary>
internal readonly record struct RecordingPiece(RecordingFile File, byte[]? Bytes, int Length, long Offset, long? Samples = null)
{
    public static RecordingPiece Rent(RecordingFile file, ReadOnlySpan<byte> bytes, long offset)
    {
        var rented = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(rented);
        return new RecordingPiece(file, rented, bytes.Length, offset);
    }

    public void Return()
    {
        if (Bytes is not null) ArrayPool<byte>.Shared.Return(Bytes);
    }
}

/// <summary>One call's WAV file as the writer sees it: the handle, the holes dropped pieces left, how it ended.</summary>
internal sealed class RecordingFile(SafeFileHandle handle)
{
    private readonly Lock _gate = new();
    private readonly List<(long Offset, int Length)> _holes = [];
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _failure;
    private bool _abandoned;

    /// <summary>Done once the last piece is written (faults with the write's error).</summary>
    public Task Done => _done.Task;

    /// <summary>A dropped piece's room (the tap's lock orders these before the last piece is queued).</summary>
    public void Hole(long offset, int length) => _holes.Add((offset, length));

    /// <summary>The tap is gone without completing: what is still queued is skipped and the file closed.</summary>
    public void Abandon()
    {
        lock (_gate)
        {
            _abandoned = true;
            handle.Dispose();
        }
        _done.TrySetResult();
    }

    public void Apply(RecordingPiece piece, IRecordingFileSink sink)
    {
        lock (_gate)
        {
            if (_abandoned) return;
            try
            {
                if (piece.Samples is not { } samples)
                {
                    if (_failure is null) sink.Write(handle, piece.Bytes.AsSpan(0, piece.Length), piece.Offset);
                    return;
                }
                if (_failure is null)
                {
                    FillHoles(sink);
                    Span<byte> header = stackalloc byte[WavHeader.Length];
                    WavHeader.Write(header, samples);
                    sink.Write(handle, header, 0);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                _failure ??= ex;
            }
            if (piece.Samples is null) return;
            handle.Dispose();
            if (_failure is null) _done.TrySetResult();
            else _done.TrySetException(_failure);
        }
    }

    private void FillHoles(IRecordingFileSink sink)
    {
        if (_holes.Count == 0) return;
        var silence = ArrayPool<byte>.Shared.Rent(CallAudioTap.WindowSamples * 2);
        try
        {
            silence.AsSpan().Fill(MuLaw.Silence);
            foreach (var (offset, length) in _holes)
                for (var done = 0; done < length;)
                {
                    var count = Math.Min(length - done, silence.Length);
                    sink.Write(handle, silence.AsSpan(0, count), offset + done);
                    done += count;
                }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(silence);
        }
    }
}
