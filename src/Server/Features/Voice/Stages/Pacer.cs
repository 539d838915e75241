using System.Threading.Tasks.Sources;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// Releases 20 ms frames at real time, keeping a small lead of audio queued at Twilio so scheduling jitter never
/// starves playback while a <c>clear</c> still discards little. The schedule is absolute — frame n of a speaking
/// burst is due at <c>start + n × 20 ms − lead</c> — so late wake-ups never accumulate into drift (a periodic timer
/// re-arms from when it fired, and its drift shows up as irregular intervals). One reusable timer per call, armed for
/// the next frame's due time (no timer or task per frame). Also estimates how much of the sent audio the caller has heard.
/// </summary>
public sealed class Pacer : IDisposable
{
    private readonly TimeProvider _time;
    private readonly int _leadMs;
    private readonly int _frameMs;
    private readonly ITimer _timer;
    private readonly Wake _wake = new();
    private volatile bool _active;
    private long _burstStart;
    private int _burstFrames;
    private double _playedBeforeBurstMs;

    public Pacer(TimeProvider time, int leadMs, int frameMs = 20)
    {
        _time = time;
        _leadMs = leadMs;
        _frameMs = frameMs;
        _timer = time.CreateTimer(static state => ((Wake)state!).Signal(), _wake, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public async ValueTask WaitForSlotAsync(CancellationToken cancellationToken)
    {
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

        // Frame n may leave once only the lead is queued ahead of it: at start + n × frame − lead.
        while (true)
        {
            var wait = _burstFrames * _frameMs - _leadMs - _time.GetElapsedTime(_burstStart).TotalMilliseconds;
            if (wait <= 0) break;
            cancellationToken.ThrowIfCancellationRequested();
            var woken = _wake.Arm(cancellationToken);
            _timer.Change(TimeSpan.FromMilliseconds(wait), Timeout.InfiniteTimeSpan);
            await woken.ConfigureAwait(false);
        }
        if (!_active) throw new OperationCanceledException("pacer reset");
        _burstFrames++;
    }

    private void StartBurst()
    {
        _burstStart = _time.GetTimestamp();
        _burstFrames = 0;
    }

    /// <summary>Audio the caller has heard since the pacer last started (sent audio, less what is still queued).</summary>
    public double PlayedMs =>
        !_active ? _playedBeforeBurstMs
            : _playedBeforeBurstMs + Math.Min(_burstFrames * _frameMs, _time.GetElapsedTime(_burstStart).TotalMilliseconds);

    /// <summary>Waits until everything sent should have been played.</summary>
    public Task WaitPlayedOutAsync(CancellationToken cancellationToken)
    {
        if (!_active) return Task.CompletedTask;
        var remaining = _burstFrames * _frameMs - _time.GetElapsedTime(_burstStart).TotalMilliseconds;
        return remaining <= 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromMilliseconds(remaining), _time, cancellationToken);
    }

    /// <summary>Ends the burst (reply finished or interrupted); a waiting sender gets an <see cref="OperationCanceledException"/>.</summary>
    public void Reset()
    {
        _active = false;
        _playedBeforeBurstMs = 0;
        _burstFrames = 0;
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
            Volatile.Write(ref _pending, 1);
            _registration = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static s => ((Wake)s!).Signal(), this)
                : default;
            return new ValueTask(this, _core.Version);
        }

        /// <summary>Completes the current wait, if any (a stale timer tick only makes the sender re-check its schedule).</summary>
        public void Signal()
        {
            if (Interlocked.Exchange(ref _pending, 0) == 1) _core.SetResult(true);
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
