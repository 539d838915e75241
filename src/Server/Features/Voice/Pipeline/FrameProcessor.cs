using System.Threading.Channels;

namespace EstateVoice.Server.Features.Voice.Pipeline;

/// <summary>
/// One pipeline stage. System frames are handled at once on the pusher's thread (under a per-stage lock), so they
/// jump ahead of everything queued; data and control frames go through a channel and are handled in order by the
/// stage's own loop. An <see cref="InterruptionFrame"/> cancels the reply in flight (one token per agent reply) and
/// flushes queued frames except <see cref="IUninterruptible"/> ones, which leave the stage after the interruption.
/// </summary>
public abstract class FrameProcessor : IAsyncDisposable
{
    // The flush is lazy: each queued frame remembers the interruption epoch it was queued in, and the loop drops
    // frames from older epochs when it reaches them. That keeps the interruption O(1) and lock-free for writers.
    //
    // An idle stage's loop runs on the pusher's thread (synchronous continuations) until it next waits: a reply passes
    // five stages, and a hand-over through the thread pool costs 0.3-1 ms at p95 on a small VM, for nothing — the
    // loop only ever awaits real work (a provider, the pacer), so the pusher gets its thread back at once. A stage
    // that is busy simply has the frame queued. No handler holds a lock across a push, so running inline cannot deadlock.
    private readonly Channel<(Frame Frame, FrameDirection Direction, int Epoch)> _queue =
        Channel.CreateUnbounded<(Frame, FrameDirection, int)>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly SemaphoreSlim _systemLock = new(1, 1);
    private readonly Lock _gate = new();
    private CancellationTokenSource _replyCts = new();
    private int _epoch;
    // Interruptions being handled right now, and what the loop waits on while there are any (see StartNewEpoch).
    private int _interruptionsInFlight;
    private TaskCompletionSource? _interruptionsHandled;
    private Task? _loop;
    private CancellationToken _lifetime;
    private CancellationTokenRegistration _lifetimeEnded;

    public FrameProcessor? Next { get; private set; }
    public FrameProcessor? Previous { get; private set; }

    public virtual string Name => GetType().Name;

    /// <summary>Cancelled by the next interruption; the token every piece of reply work should observe.</summary>
    protected CancellationToken ReplyToken
    {
        get { lock (_gate) return _replyCts.Token; }
    }

    internal void Link(FrameProcessor next)
    {
        Next = next;
        next.Previous = this;
    }

    public virtual Task StartAsync(CancellationToken lifetime)
    {
        _lifetime = lifetime;
        // The call ending stops reply work in flight (a provider stream, a slow tool, the pacer) and drops what is
        // queued, as an interruption does: the stage is disposed next and must not work on for a call that is over.
        _lifetimeEnded = lifetime.UnsafeRegister(static s => ((FrameProcessor)s!).StartNewEpoch(holdLoop: false), this);
        _loop = Task.Run(() => RunLoopAsync(lifetime), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Entry point for frames arriving from a neighbour (or the pipeline's edge).</summary>
    public ValueTask QueueFrameAsync(Frame frame, FrameDirection direction = FrameDirection.Downstream)
    {
        if (frame is SystemFrame)
            return HandleSystemFrameAsync(frame, direction);
        int epoch;
        lock (_gate) epoch = _epoch;
        _queue.Writer.TryWrite((frame, direction, epoch));
        return ValueTask.CompletedTask;
    }

    private ValueTask HandleSystemFrameAsync(Frame frame, FrameDirection direction) =>
        frame is InterruptionFrame ? HandleInterruptionAsync(frame, direction) : ProcessSystemFrameLockedAsync(frame, direction);

    private async ValueTask ProcessSystemFrameLockedAsync(Frame frame, FrameDirection direction)
    {
        if (direction == FrameDirection.Upstream)
        {
            // Upstream frames take no lock: locks are only ever taken in pipeline order (downstream), so a frame
            // travelling up can never deadlock against one travelling down. Upstream handlers only set flags.
            await ProcessSystemFrameAsync(frame, direction, _lifetime).ConfigureAwait(false);
            return;
        }
        await _systemLock.WaitAsync(_lifetime).ConfigureAwait(false);
        try
        {
            await ProcessSystemFrameAsync(frame, direction, _lifetime).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
        }
        finally
        {
            _systemLock.Release();
        }
    }

    private async ValueTask HandleInterruptionAsync(Frame frame, FrameDirection direction)
    {
        StartNewEpoch(holdLoop: true);
        try
        {
            await ProcessSystemFrameLockedAsync(frame, direction).ConfigureAwait(false);
        }
        finally
        {
            ReleaseLoop();
        }
    }

    /// <summary>Cancels this stage's reply work and flushes its queue, for an interruption that starts here (DTMF).</summary>
    protected void InterruptSelf() => StartNewEpoch(holdLoop: false);

    /// <summary>
    /// An interruption that starts here (DTMF): cancels this stage's reply work, flushes its queue and sends the
    /// interruption on, ahead of whatever survived the flush.
    /// </summary>
    protected async ValueTask InterruptDownstreamAsync()
    {
        StartNewEpoch(holdLoop: true);
        try
        {
            await PushFrameAsync(InterruptionFrame.Instance).ConfigureAwait(false);
        }
        finally
        {
            ReleaseLoop();
        }
    }

    /// <param name="holdLoop">
    /// Keep the loop from taking another frame until <see cref="ReleaseLoop"/>, i.e. until the interruption has left
    /// this stage. Cancelling the token lets the loop run on at once (often inline, on this very thread, as the
    /// cancelled await resumes), and without the hold it would hand a surviving frame (an end of call) to the next
    /// stage before the interruption that was pushed ahead of it — the next stage then sees them in the wrong order.
    /// </param>
    private void StartNewEpoch(bool holdLoop)
    {
        CancellationTokenSource old;
        lock (_gate)
        {
            old = _replyCts;
            _replyCts = new CancellationTokenSource();
            _epoch++;
            if (holdLoop && _interruptionsInFlight++ == 0)
                _interruptionsHandled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        old.Cancel();
        old.Dispose();
    }

    private void ReleaseLoop()
    {
        TaskCompletionSource? handled = null;
        lock (_gate)
        {
            if (--_interruptionsInFlight == 0)
            {
                handled = _interruptionsHandled;
                _interruptionsHandled = null;
            }
        }
        handled?.TrySetResult();
    }

    private async Task RunLoopAsync(CancellationToken lifetime)
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(lifetime).ConfigureAwait(false))
            {
                while (reader.TryRead(out var item))
                {
                    CancellationToken token;
                    bool flushed;
                    while (true)
                    {
                        Task? held;
                        lock (_gate)
                        {
                            held = _interruptionsHandled?.Task;
                            flushed = item.Epoch != _epoch && item.Frame is not IUninterruptible;
                            token = _replyCts.Token;
                        }
                        if (held is null) break;
                        // An interruption is on its way through this stage: nothing queued may overtake it.
                        await held.WaitAsync(lifetime).ConfigureAwait(false);
                    }
                    if (flushed) continue;
                    try
                    {
                        await ProcessFrameAsync(item.Frame, item.Direction, token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (token.IsCancellationRequested || lifetime.IsCancellationRequested)
                    {
                        // The reply was interrupted (or the call ended): drop the rest of this frame's work.
                    }
                    catch (Exception ex)
                    {
                        await OnUnhandledErrorAsync(item.Frame, ex).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
        }
    }

    /// <summary>Handles a queued data/control frame; the default passes it on in its direction.</summary>
    protected virtual ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken replyToken) =>
        PushFrameAsync(frame, direction);

    /// <summary>Handles a system frame immediately; the default passes it on in its direction.</summary>
    protected virtual ValueTask ProcessSystemFrameAsync(Frame frame, FrameDirection direction, CancellationToken lifetime) =>
        PushFrameAsync(frame, direction);

    /// <summary>Called when a frame handler throws: report it upstream as a provider failure rather than kill the stage.</summary>
    protected virtual ValueTask OnUnhandledErrorAsync(Frame frame, Exception error) =>
        PushFrameAsync(new ErrorFrame(Name, error.Message), FrameDirection.Upstream);

    protected ValueTask PushFrameAsync(Frame frame, FrameDirection direction = FrameDirection.Downstream)
    {
        var target = direction == FrameDirection.Downstream ? Next : Previous;
        return target is null ? ValueTask.CompletedTask : target.QueueFrameAsync(frame, direction);
    }

    public virtual async ValueTask DisposeAsync()
    {
        // Before the reply token is disposed below; waits for a cancellation callback that is running.
        await _lifetimeEnded.DisposeAsync().ConfigureAwait(false);
        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            try { await _loop.ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
        lock (_gate) _replyCts.Dispose();
        GC.SuppressFinalize(this);
    }
}
