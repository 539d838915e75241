using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Infrastructure.Hosting;

/// <summary>
/// Graceful drain: when the node is told to stop (SIGTERM, Ctrl+C, a host stop) it reports not ready and refuses new
/// media streams at once, lets the calls it carries go on for up to <see cref="DrainOptions.TimeoutSeconds"/>, then
/// ends the ones left (<see cref="CallsEnding"/>) and holds the host's stop until they have finished ending. Kestrel
/// keeps serving meanwhile (it stops after this service's <see cref="StoppingAsync"/>), so health probes, the calls'
/// status callbacks and the live calls' sockets keep working. A second SIGTERM or Ctrl+C ends the calls at once.
/// The one owner of "is this node draining" and of the live-call count it waits on.
/// </summary>
public sealed partial class NodeDrain(
    IOptions<DrainOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<NodeDrain> logger) : IHostedLifecycleService, IDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _callsEnding = new();
    private readonly TaskCompletionSource _endingStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _noLiveCalls = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<IDisposable> _registrations = [];
    private int _liveCalls;
    private bool _draining;
    private int _signals;
    private long _drainStartedAt;
    private ITimer? _deadline;

    /// <summary>True from the moment the node was told to stop: it is not ready and takes no new media stream.</summary>
    public bool IsDraining { get { lock (_gate) return _draining; } }

    public int LiveCalls { get { lock (_gate) return _liveCalls; } }

    /// <summary>Cancelled when the node ends its remaining calls (the drain deadline, or a second signal); a call's lifetime.</summary>
    public CancellationToken CallsEnding => _callsEnding.Token;

    /// <summary>
    /// Counts a new media stream in, unless the node drains (null: refuse it). Dispose the result when the call's
    /// session has ended, final status written. Checked and counted under one lock, so no stream slips in after the
    /// drain has seen the last call end.
    /// </summary>
    public IDisposable? TryAdmitCall()
    {
        lock (_gate)
        {
            if (_draining) return null;
            _liveCalls++;
        }
        return new Admission(this);
    }

    private void CallFinished()
    {
        int left;
        bool draining;
        lock (_gate)
        {
            left = --_liveCalls;
            draining = _draining;
        }
        if (!draining) return;
        LogCallsLeft(left);
        if (left == 0) _noLiveCalls.TrySetResult();
    }

    /// <summary>Starts the drain (idempotent): not ready, no new streams, the deadline timer running.</summary>
    public void BeginDrain()
    {
        int live;
        lock (_gate)
        {
            if (_draining) return;
            _draining = true;
            live = _liveCalls;
        }
        _drainStartedAt = time.GetTimestamp();
        var timeout = options.Value.Timeout;
        LogDrainStarted(live, timeout.TotalSeconds);
        if (live == 0) _noLiveCalls.TrySetResult();
        if (timeout <= TimeSpan.Zero) EndCalls("no drain time configured");
        else _deadline = time.CreateTimer(_ => EndCalls("drain timeout"), null, timeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Ends every call still live (each with "server shutdown" as its failure reason, as any server stop does).</summary>
    public void EndCalls(string why)
    {
        if (!_endingStarted.TrySetResult()) return;
        var live = LiveCalls;
        if (live > 0) LogEndingCalls(live, why);
        // Asynchronously: the timer or signal thread must not run the sessions' endings.
        _ = _callsEnding.CancelAsync();
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registrations.Add(lifetime.ApplicationStopping.Register(BeginDrain));
        // The host's console lifetime turns the first SIGTERM / Ctrl+C into a stop; a second one means "now".
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT })
            _registrations.Add(PosixSignalRegistration.Create(signal, _ =>
            {
                if (Interlocked.Increment(ref _signals) > 1) EndCalls("second stop signal");
            }));
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs before any hosted service stops and before Kestrel stops listening: the drain happens here.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        BeginDrain();
        // The host's ShutdownTimeout covers the drain (see DrainOptions.ShutdownTimeout); if it runs out first, end the calls.
        using var shutdownTimeout = cancellationToken.Register(() => EndCalls("host shutdown timeout"));
        await Task.WhenAny(_noLiveCalls.Task, _endingStarted.Task).ConfigureAwait(false);
        if (!_noLiveCalls.Task.IsCompleted)
        {
            try
            {
                await _noLiveCalls.Task.WaitAsync(DrainOptions.EndingGrace, time, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                LogEndingOverran(LiveCalls, DrainOptions.EndingGrace.TotalSeconds);
            }
        }
        LogDrainFinished(time.GetElapsedTime(_drainStartedAt).TotalSeconds, LiveCalls);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _deadline?.Dispose();
        _callsEnding.Dispose();
    }

    private sealed class Admission(NodeDrain drain) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) drain.CallFinished();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Draining: not ready, refusing new media streams; {LiveCalls} live calls may go on for up to {TimeoutSeconds} s")]
    private partial void LogDrainStarted(int liveCalls, double timeoutSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: a call finished, {LiveCalls} live calls left")]
    private partial void LogCallsLeft(int liveCalls);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Draining: ending {LiveCalls} live calls now ({Why})")]
    private partial void LogEndingCalls(int liveCalls, string why);

    [LoggerMessage(Level = LogLevel.Error, Message = "Draining: {LiveCalls} calls had not finished ending after {Seconds} s; stopping without them")]
    private partial void LogEndingOverran(int liveCalls, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain finished after {Seconds:0.0} s, {LiveCalls} calls left; the server stops")]
    private partial void LogDrainFinished(double seconds, int liveCalls);
}
