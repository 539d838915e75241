namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// A token that cancels when a provider stream goes quiet for too long: armed before each wait (first token, next
/// chunk), on the call's <see cref="TimeProvider"/> so tests run it fast. One timer per reply or sentence, re-armed,
/// no allocation per chunk. <see cref="Expired"/> tells a stall from the reply being interrupted.
/// </summary>
internal sealed class StallWatchdog : IDisposable
{
    private readonly CancellationTokenSource _expired = new();
    private readonly CancellationTokenSource _linked;
    private readonly ITimer _timer;

    public StallWatchdog(TimeProvider time, CancellationToken outer)
    {
        _linked = CancellationTokenSource.CreateLinkedTokenSource(outer, _expired.Token);
        _timer = time.CreateTimer(static state => Expire((CancellationTokenSource)state!), _expired, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Cancelled by the outer token or by the watchdog expiring.</summary>
    public CancellationToken Token => _linked.Token;

    public bool Expired => _expired.IsCancellationRequested;

    /// <summary>(Re)starts the countdown: the next thing must arrive within <paramref name="timeout"/>.</summary>
    public void Arm(TimeSpan timeout) => _timer.Change(timeout, Timeout.InfiniteTimeSpan);

    public void Disarm() => _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    private static void Expire(CancellationTokenSource expired)
    {
        try { expired.Cancel(); }
        catch (ObjectDisposedException) { } // the timer fired as the watchdog was disposed
    }

    public void Dispose()
    {
        _timer.Dispose();
        _linked.Dispose();
        _expired.Dispose();
    }
}
