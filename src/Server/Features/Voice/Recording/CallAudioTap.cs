using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice.Recording;

/// <summary>
/// Records one call as the caller heard it, straight to a stereo G.711 mu-law WAV file (caller left, agent right,
/// 8 kHz): an observer at the two transports, never buffering the whole call. Both channels share one timeline in
/// samples since the call's clock started; a window of <see cref="WindowSamples"/> (stereo, 2 bytes a sample, 32 kB)
/// holds the recent part where audio may still land or be erased, and what falls out of it is written to the file.
/// <list type="bullet">
/// <item>Caller audio is placed at its offset on the caller's audio timeline (contiguous, as Twilio numbers it),
/// shifted once onto the call's clock at the first frame, so jitter never opens gaps in the caller's channel.</item>
/// <item>Agent audio is placed where the caller's player would play it: at the later of "now" and the end of what
/// was sent before (the paced sender keeps a small lead queued at the far end).</item>
/// <item>A <c>clear</c> (barge-in) empties that queue: agent audio placed at or after "now" is erased again, so
/// audio the caller never heard is not in the recording.</item>
/// </list>
/// When the window is full (about every half second) its oldest 8 kB go to the node's <see cref="RecordingDiskWriter"/>
/// as a pooled piece: the audio thread never touches the disk. A piece the writer has no room for is dropped and
/// counted (<see cref="LostSamples"/>; its room is filled with silence at the end, so the timeline holds). One lock
/// orders the two ends.
/// </summary>
public sealed class CallAudioTap : IDisposable
{
    public const int WindowSamples = 2 * MuLaw.SampleRate; // 2 s
    private const int FlushSamples = WindowSamples / 4;     // written in 0.5 s pieces
    private readonly Lock _gate = new();
    private readonly byte[] _window = new byte[WindowSamples * 2];
    private readonly RecordingFile _file;
    private readonly RecordingDiskWriter _writer;
    private readonly Func<TimeSpan> _now;
    private long _flushed;        // samples written to the file (the window starts here)
    private long _end;            // the furthest sample any audio reached
    private long _agentEnd;       // where the agent's next frame would start playing
    private long _callerEnd;
    private long? _callerShift;   // call-clock samples minus caller-audio samples, fixed at the first frame
    private long _fileOffset = WavHeader.Length;
    private long _lost;           // samples dropped because the writer had no room
    private bool _closed;
    private Task? _completion;

    /// <param name="path">The temp file (created, replaced if present).</param>
    /// <param name="now">The call's clock (time since the call started).</param>
    /// <param name="writer">The node's recording writer (<see cref="RecordingDiskWriter.Default"/> when none is given).</param>
    public CallAudioTap(string path, Func<TimeSpan> now, RecordingDiskWriter? writer = null)
    {
        Path = path;
        _now = now;
        _writer = writer ?? RecordingDiskWriter.Default;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.Read | FileShare.Delete); // renamed on consent
        // Written at once (the call is being admitted, not yet talking): a restart finds a WAV, however short.
        Span<byte> header = stackalloc byte[WavHeader.Length];
        WavHeader.Write(header, 0);
        RandomAccess.Write(handle, header, 0);
        _file = new RecordingFile(handle);
        Array.Fill(_window, MuLaw.Silence);
    }

    public string Path { get; }

    /// <summary>Samples recorded so far (the file's length in time once <see cref="CompleteAsync"/> ran).</summary>
    public long Samples { get { lock (_gate) return _end; } }

    public TimeSpan Duration => TimeSpan.FromSeconds(Samples / (double)MuLaw.SampleRate);

    /// <summary>Samples dropped because the disk fell behind (silence in the file instead).</summary>
    public long LostSamples { get { lock (_gate) return _lost; } }

    public TimeSpan Lost => TimeSpan.FromSeconds(LostSamples / (double)MuLaw.SampleRate);

    /// <summary>A caller frame at <paramref name="audioOffset"/> on the caller's audio timeline (the input transport).</summary>
    public void Caller(ReadOnlySpan<byte> mulaw, TimeSpan audioOffset)
    {
        lock (_gate)
        {
            if (_closed) return;
            var audioSample = ToSamples(audioOffset);
            _callerShift ??= Math.Max(0, ToSamples(_now()) - audioSample);
            var at = audioSample + _callerShift.Value;
            Place(mulaw, at, channel: 0);
            _callerEnd = Math.Max(_callerEnd, at + mulaw.Length);
        }
    }

    /// <summary>An agent frame handed to the socket (the output transport): it plays after what is queued.</summary>
    public void Agent(ReadOnlySpan<byte> mulaw)
    {
        lock (_gate)
        {
            if (_closed) return;
            var at = Math.Max(ToSamples(_now()), _agentEnd);
            Place(mulaw, at, channel: 1);
            _agentEnd = at + mulaw.Length;
        }
    }

    /// <summary>Barge-in's <c>clear</c>: what was queued for the caller and not yet played is discarded.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            if (_closed) return;
            var now = ToSamples(_now());
            for (var s = Math.Max(now, _flushed); s < _agentEnd; s++)
                _window[Index(s) + 1] = MuLaw.Silence;
            if (_agentEnd > now)
            {
                // Only the agent had reached this far: the recording ends where the caller's player stopped.
                if (_end == _agentEnd) _end = Math.Max(Math.Max(now, _callerEnd), _flushed);
                _agentEnd = now;
            }
        }
    }

    /// <summary>
    /// Queues what is left and the header's sizes, and waits (the call's ending, never its audio) until the writer has
    /// written all of this call's pieces: the file is then a complete WAV. Idempotent.
    /// </summary>
    public Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        List<RecordingPiece> rest = [];
        lock (_gate)
        {
            if (_completion is not null) return _completion;
            if (_closed) return Task.CompletedTask; // disposed without completing
            _closed = true;
            FlushTo(_end, rest);
            rest.Add(new RecordingPiece(_file, null, 0, 0, _end));
            _completion = QueueAsync(rest, cancellationToken);
            return _completion;
        }
    }

    private async Task QueueAsync(List<RecordingPiece> rest, CancellationToken cancellationToken)
    {
        await Task.Yield(); // out of the lock
        for (var i = 0; i < rest.Count; i++)
        {
            try
            {
                await _writer.WriteAsync(rest[i], cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                for (var j = i; j < rest.Count; j++) rest[j].Return();
                throw;
            }
        }
        await _file.Done.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        lock (_gate) _closed = true;
        if (_completion is null || _completion.IsCompleted) _file.Abandon();
    }

    private void Place(ReadOnlySpan<byte> mulaw, long at, int channel)
    {
        var skip = (int)Math.Clamp(_flushed - at, 0, mulaw.Length); // too late for the window: already written
        at += skip;
        mulaw = mulaw[skip..];
        if (mulaw.IsEmpty) return;
        var last = at + mulaw.Length;
        // Past the window's end: write its oldest part out, in pieces of FlushSamples, never the room this audio takes.
        if (last - _flushed > WindowSamples) FlushTo(Math.Min(last - WindowSamples + FlushSamples, at));
        for (var i = 0; i < mulaw.Length; i++)
            _window[Index(at + i) + channel] = mulaw[i];
        if (last > _end) _end = last;
    }

    /// <summary>
    /// Hands samples [<see cref="_flushed"/>, <paramref name="target"/>) to the writer (or to <paramref name="keep"/>,
    /// the ending's pieces, which are never dropped) and returns their room to silence.
    /// </summary>
    private void FlushTo(long target, List<RecordingPiece>? keep = null)
    {
        while (_flushed < target)
        {
            var start = Index(_flushed);
            var count = (int)Math.Min(target - _flushed, WindowSamples - start / 2);
            var bytes = _window.AsSpan(start, count * 2);
            var piece = RecordingPiece.Rent(_file, bytes, _fileOffset);
            if (keep is not null) keep.Add(piece);
            else if (!_writer.TryWrite(piece))
            {
                _file.Hole(_fileOffset, bytes.Length);
                _lost += count;
            }
            _fileOffset += bytes.Length;
            bytes.Fill(MuLaw.Silence);
            _flushed += count;
        }
    }

    private static int Index(long sample) => (int)(sample % WindowSamples) * 2;

    private static long ToSamples(TimeSpan time) => time.Ticks * MuLaw.SampleRate / TimeSpan.TicksPerSecond;
}
