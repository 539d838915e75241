using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// Releases 20 ms frames at real time, keeping a small lead of audio queued at Twilio so scheduling jitter never
/// starves playback while a <c>clear</c> still discards little. The schedule is absolute — frame n of a speaking
/// burst is due at <c>start + n × 20 ms − lead</c> — so late wake-ups never accumulate into drift. The waiting is
/// done by the node's one <see cref="PacingClock"/> (no timer per call): the sender leaves its next due time here and
/// the clock's tick releases it. Also estimates how much of the sent audio the caller has heard, across a barge-in
/// pause: <see cref="Hold"/> freezes the estimate where the <c>clear</c> cut playback, and <see cref="Release"/>
/// starts a new schedule from the position the output re-sends from.
/// </summary>
public sealed class Pacer : IDisposable
{
    private const long NotWaiting = long.MaxValue;

    private readonly TimeProvider _time;
    private readonly PacingClock _clock;
    private readonly int _leadMs;
    private readonly int _frameMs;
    private readonly Wake _wake = new();
    // The sender's loop and the barge-in path (pause, interruption) both touch the schedule; never held across an await.
    private readonly Lock _gate = new();
    private volatile bool _active;
    private volatile bool _held;
    private long _burstStart;
    private int _burstFrames;
    private double _playedBeforeBurstMs;
    // The timestamp the waiting sender is due at, for the clock's tick; NotWaiting when no sender waits.
    private long _due = NotWaiting;

    public Pacer(PacingClock clock, int leadMs, int frameMs = 20)
    {
        _clock = clock;
        _time = clock.Time;
        _leadMs = leadMs;
        _frameMs = frameMs;
        clock.Register(this);
    }

    /// <summary>
    /// Waits until the next frame may leave; the caller sends it and then calls <see cref="FramesSent"/>.
    /// Returns false when the pacer is held (a barge-in pause): the frame must not be sent.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> WaitForSlotAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_held) return false;
            if (!_active)
            {
                _active = true;
                StartBurst();
            }
            else if (_time.GetElapsedTime(_burstStart).TotalMilliseconds > (_burstFrames + 1) * _frameMs)
            {
                // Playback ran dry (synthesis was slower than real time): what was sent has played; start a new schedule.
                _playedBeforeBurstMs += _burstFrames * _frameMs;
                StartBurst();
            }
        }

        // Frame n may leave once only the lead is queued ahead of it: at start + n × frame − lead.
        // The sender runs on the clock's tick (inline): it sends and comes straight back here.
        await WaitUntilDueAsync(_leadMs, runOnTick: true, cancellationToken).ConfigureAwait(false);
        if (_held) return false;
        if (!_active) throw new OperationCanceledException("pacer reset");
        return true;
    }

    /// <summary>Waits for the clock to pass the due time of the next frame with <paramref name="leadMs"/> of lead, or for a hold, reset or cancellation.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WaitUntilDueAsync(int leadMs, bool runOnTick, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_held || !_active) return;
            var due = DueAt(leadMs);
            if (_clock.IsDue(due)) return;
            cancellationToken.ThrowIfCancellationRequested();
            var woken = _wake.Arm(runOnTick, cancellationToken);
            Interlocked.Exchange(ref _due, due);
            // A tick, hold or reset between the check and the arm would otherwise go unnoticed until the next one.
            if (_held || !_active || _clock.IsDue(due)) WakeSender();
            await woken.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            // Otherwise loop: a wake-up left over from an earlier wait only makes the sender check its schedule again.
        }
    }

    /// <summary>The clock ticked at <paramref name="tick"/>: a sender due by then is released (on the tick's thread if it asked to be).</summary>
    internal void OnTick(long tick)
    {
        var due = Volatile.Read(ref _due);
        if (due > tick || Interlocked.CompareExchange(ref _due, NotWaiting, due) != due) return;
        _wake.Signal(fromTick: true);
    }

    private void WakeSender()
    {
        Interlocked.Exchange(ref _due, NotWaiting);
        _wake.Signal();
    }

    /// <summary>The timestamp at which the next frame is due with <paramref name="leadMs"/> of lead (0: everything sent has played).</summary>
    private long DueAt(int leadMs)
    {
        lock (_gate) return _burstStart + (long)(_burstFrames * _frameMs - leadMs) * _time.TimestampFrequency / 1000;
    }

    /// <summary>
    /// The <paramref name="frames"/> frames granted by <see cref="WaitForSlotAsync"/> went out (in one message): the
    /// schedule and the heard estimate advance. A message is due when its first frame is: the rest ride ahead, within
    /// one message of the lead.
    /// </summary>
    public void FramesSent(int frames = 1)
    {
        lock (_gate) _burstFrames += frames;
    }

    private void StartBurst()
    {
        _burstStart = _time.GetTimestamp();
        _burstFrames = 0;
    }

    /// <summary>Audio the caller has heard since the pacer last started (sent audio, less what is still queued).</summary>
    public double PlayedMs
    {
        get
        {
            lock (_gate)
                return !_active ? _playedBeforeBurstMs
                    : _playedBeforeBurstMs + Math.Min(_burstFrames * _frameMs, _time.GetElapsedTime(_burstStart).TotalMilliseconds);
        }
    }

    /// <summary>
    /// Waits until everything sent should have been played. Returns false when the pacer was held meanwhile
    /// (a barge-in pause cleared what was queued; the output re-sends it after the resume and waits again).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> WaitPlayedOutAsync(CancellationToken cancellationToken)
    {
        // Not on the tick's thread: what follows is the end of a turn (records, events), not a frame send.
        await WaitUntilDueAsync(0, runOnTick: false, cancellationToken).ConfigureAwait(false);
        return !_held;
    }

    /// <summary>
    /// Barge-in pause: stops the schedule and freezes the heard estimate (Twilio's <c>clear</c> discarded the rest).
    /// A waiting sender is woken and told not to send. Returns the heard position.
    /// </summary>
    public double Hold()
    {
        double heard;
        lock (_gate)
        {
            if (_held) return _playedBeforeBurstMs;
            heard = !_active ? _playedBeforeBurstMs
                : _playedBeforeBurstMs + Math.Min(_burstFrames * _frameMs, _time.GetElapsedTime(_burstStart).TotalMilliseconds);
            _playedBeforeBurstMs = heard;
            _burstFrames = 0;
            _active = false;
            _held = true;
        }
        WakeSender();
        return heard;
    }

    /// <summary>Ends a hold: the next frame starts a new schedule, and the heard estimate counts on from <paramref name="positionMs"/>.</summary>
    public void Release(double positionMs)
    {
        lock (_gate)
        {
            _playedBeforeBurstMs = positionMs;
            _burstFrames = 0;
            _active = false;
            _held = false;
        }
    }

    /// <summary>Ends the burst (reply finished or interrupted); a waiting sender gets an <see cref="OperationCanceledException"/>.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _active = false;
            _held = false;
            _playedBeforeBurstMs = 0;
            _burstFrames = 0;
        }
        WakeSender();
    }

    public void Dispose()
    {
        Reset();
        _clock.Unregister(this);
    }

    /// <summary>A reusable awaitable the clock's tick (or a hold, reset or cancellation) completes; one waiter at a time.</summary>
    private sealed class Wake : IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
        private CancellationTokenRegistration _registration;
        private int _pending;
        private bool _runOnTick;

        public ValueTask Arm(bool runOnTick, CancellationToken cancellationToken)
        {
            _core.Reset();
            _core.RunContinuationsAsynchronously = true;
            _runOnTick = runOnTick;
            Volatile.Write(ref _pending, 1);
            _registration = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static s => ((Wake)s!).Signal(), this)
                : default;
            return new ValueTask(this, _core.Version);
        }

        /// <summary>Completes the current wait, if any.</summary>
        /// <param name="fromTick">
        /// The clock's tick is releasing the sender: it continues on the tick's thread when it asked to (a frame send).
        /// A hold, reset or cancellation signals from the middle of another stage's frame handling, where the sender
        /// must not run.
        /// </param>
        public void Signal(bool fromTick = false)
        {
            if (Interlocked.Exchange(ref _pending, 0) != 1) return;
            _core.RunContinuationsAsynchronously = !(fromTick && _runOnTick);
            _core.SetResult(true);
        }

        public void GetResult(short token)
        {
            _registration.Dispose();
            _registration = default;
            _core.GetResult(token);
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
