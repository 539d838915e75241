using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// Releases 20 ms frames at real time, keeping a small lead of audio queued at Twilio so scheduling jitter never
/// starves playback while a <c>clear</c> still discards little. The schedule is absolute — frame n of a speaking
/// burst is due at <c>start + n × 20 ms − lead</c> — so late wake-ups never accumulate into drift (a periodic timer
/// re-arms from when it fired, and its drift shows up as irregular intervals). One reusable timer per call, armed for
/// the next frame's due time (no timer or task per frame). Also estimates how much of the sent audio the caller has
/// heard, across a barge-in pause: <see cref="Hold"/> freezes the estimate where the <c>clear</c> cut playback, and
/// <see cref="Release"/> starts a new schedule from the position the output re-sends from.
/// </summary>
public sealed class Pacer : IDisposable
{
    private readonly TimeProvider _time;
    private readonly int _leadMs;
    private readonly int _frameMs;
    private readonly ITimer _timer;
    private readonly Wake _wake = new();
    // The sender's loop and the barge-in path (pause, interruption) both touch the schedule; never held across an await.
    private readonly Lock _gate = new();
    private volatile bool _active;
    private volatile bool _held;
    private long _burstStart;
    private int _burstFrames;
    private double _playedBeforeBurstMs;

    public Pacer(TimeProvider time, int leadMs, int frameMs = 20)
    {
        _time = time;
        _leadMs = leadMs;
        _frameMs = frameMs;
        // The timer's callback runs the sender on (it is already a pool thread): handing it over to yet another pool
        // thread would add a wake-up per 20 ms frame, thousands a second at a few hundred calls.
        _timer = time.CreateTimer(static state => ((Wake)state!).Signal(runWaiterHere: true), _wake, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Waits until the next frame may leave; the caller sends it and then calls <see cref="FrameSent"/>.
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
        while (true)
        {
            var wait = DueIn(_leadMs);
            if (wait <= 0) break;
            cancellationToken.ThrowIfCancellationRequested();
            var woken = _wake.Arm(cancellationToken);
            _timer.Change(TimeSpan.FromMilliseconds(wait), Timeout.InfiniteTimeSpan);
            // A hold or reset just before the arm, or time that passed between computing the wait and arming the
            // timer, would otherwise only be noticed when the timer fires: a whole wait late.
            if (_held || !_active || DueIn(_leadMs) <= 0) _wake.Signal();
            await woken.ConfigureAwait(false);
            if (_held) return false;
            if (!_active) throw new OperationCanceledException("pacer reset");
        }
        if (_held) return false;
        if (!_active) throw new OperationCanceledException("pacer reset");
        return true;
    }

    /// <summary>The frame granted by <see cref="WaitForSlotAsync"/> went out: the schedule and the heard estimate advance.</summary>
    public void FrameSent()
    {
        lock (_gate) _burstFrames++;
    }

    /// <summary>
    /// Milliseconds until the next frame is due with <paramref name="leadMs"/> of lead (0: until everything sent
    /// has played); negative once passed.
    /// </summary>
    private double DueIn(int leadMs)
    {
        lock (_gate) return _burstFrames * _frameMs - leadMs - _time.GetElapsedTime(_burstStart).TotalMilliseconds;
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
    public async ValueTask<bool> WaitPlayedOutAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_held) return false;
            if (!_active) return true;
            var remaining = DueIn(0);
            if (remaining <= 0) return true;
            cancellationToken.ThrowIfCancellationRequested();
            var woken = _wake.Arm(cancellationToken);
            _timer.Change(TimeSpan.FromMilliseconds(remaining), Timeout.InfiniteTimeSpan);
            if (_held || !_active || DueIn(0) <= 0) _wake.Signal();
            await woken.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
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
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _wake.Signal();
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
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _wake.Signal();
    }

    public void Dispose()
    {
        Reset();
        _timer.Dispose();
    }

    /// <summary>A reusable awaitable the timer (or a cancellation) completes; one waiter at a time.</summary>
    private sealed class Wake : IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
        private CancellationTokenRegistration _registration;
        private int _pending;

        public ValueTask Arm(CancellationToken cancellationToken)
        {
            _core.Reset();
            _core.RunContinuationsAsynchronously = true;
            Volatile.Write(ref _pending, 1);
            _registration = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static s => ((Wake)s!).Signal(), this)
                : default;
            return new ValueTask(this, _core.Version);
        }

        /// <summary>Completes the current wait, if any (a stale timer tick only makes the sender re-check its schedule).</summary>
        /// <param name="runWaiterHere">
        /// Continue the waiting sender on this thread. Only the timer asks for it: a hold, reset or cancellation
        /// signals from the middle of another stage's frame handling, where the sender must not run.
        /// </param>
        public void Signal(bool runWaiterHere = false)
        {
            if (Interlocked.Exchange(ref _pending, 0) != 1) return;
            _core.RunContinuationsAsynchronously = !runWaiterHere;
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
