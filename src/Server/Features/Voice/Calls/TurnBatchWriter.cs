using System.Threading.Channels;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Infrastructure.Data;

namespace EstateVoice.Server.Features.Voice.Calls;

/// <summary>
/// The node's one writer of turn rows: every call's turns go into one queue, and one loop writes what has gathered
/// in one transaction (both databases), instead of a scope, a DbContext and a connection per turn for each of
/// hundreds of calls. A turn is still saved as it happens: its writer waits at most <see cref="GatherWindow"/>
/// for others to join it, and <see cref="AppendAsync"/> completes only once its row is committed.
/// <para>
/// A failed batch is retried (a database restarting, SQLite busy); a batch that still fails is written row by row, so
/// one bad row (its call deleted meanwhile) cannot sink the others, and each row that fails for good faults its own
/// task: the call's recorder logs it. Nothing is dropped silently. <see cref="FlushAsync"/> returns once everything
/// queued before it has been written or has failed: a call's end uses it before the final status (the transcript is
/// built from the turns).
/// </para>
/// </summary>
public sealed partial class TurnBatchWriter : IAsyncDisposable
{
    /// <summary>How long the first turn of a batch waits for more to join it.</summary>
    public static readonly TimeSpan GatherWindow = TimeSpan.FromMilliseconds(40);

    public const int MaxBatch = 256;

    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(1600)];

    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<TurnBatchWriter> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<Task> _loop;

    public TurnBatchWriter(IServiceScopeFactory scopes, ILogger<TurnBatchWriter> logger)
    {
        _scopes = scopes;
        _logger = logger;
        _loop = new Lazy<Task>(() => Task.Run(WriteLoopAsync), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>A row to insert, or (Row null) a flush marker; Done completes once it is written (or has failed for good).</summary>
    private sealed record Pending(CallTurn? Row, TaskCompletionSource Done);

    /// <summary>Batches written so far (for tests and diagnostics).</summary>
    public int BatchesWritten => Volatile.Read(ref _batches);
    private int _batches;

    /// <summary>Queues the turn's row; completes once it is committed.</summary>
    public Task AppendAsync(CallTurn row, CancellationToken cancellationToken) => Enqueue(row).WaitAsync(cancellationToken);

    /// <summary>Completes once every turn queued before this call has been written (or has failed and been reported).</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => Enqueue(null).WaitAsync(cancellationToken);

    private Task Enqueue(CallTurn? row)
    {
        var pending = new Pending(row, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        // After disposal (the host stopping) the write fails visibly instead of waiting for ever.
        if (!_queue.Writer.TryWrite(pending)) pending.Done.TrySetException(new ObjectDisposedException(nameof(TurnBatchWriter)));
        else _ = _loop.Value;
        return pending.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // Real time here and in the retries, not the app's clock: these are how long a row waits for company or
            // for the database, and a test's fake clock must not hold turns back. A flush (a call ending) does not wait.
            if (reader.TryPeek(out var first) && first.Row is not null)
                await Task.Delay(GatherWindow, TimeProvider.System).ConfigureAwait(false);
            while (batch.Count < MaxBatch && reader.TryRead(out var pending)) batch.Add(pending);
            try
            {
                await WriteBatchAsync(batch).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // WriteBatchAsync reports each row itself; this is the loop staying alive whatever happens.
                foreach (var pending in batch) pending.Done.TrySetException(ex);
            }
            batch.Clear();
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        var rows = batch.Where(p => p.Row is not null).ToList();
        if (rows.Count > 0)
        {
            Exception? failure = null;
            for (var attempt = 0; attempt <= RetryDelays.Length; attempt++)
            {
                try
                {
                    await InsertAsync(rows).ConfigureAwait(false);
                    failure = null;
                    Interlocked.Increment(ref _batches);
                    break;
                }
                catch (Exception ex)
                {
                    failure = ex;
                    if (!TransientDatabaseErrors.IsTransient(ex) || attempt == RetryDelays.Length) break;
                    LogRetrying(ex, rows.Count, RetryDelays[attempt].TotalMilliseconds);
                    await Task.Delay(RetryDelays[attempt], TimeProvider.System).ConfigureAwait(false);
                }
            }
            if (failure is null)
            {
                foreach (var p in rows) p.Done.TrySetResult();
            }
            else if (rows.Count == 1)
            {
                rows[0].Done.TrySetException(failure);
            }
            else
            {
                // One row may be what fails the batch: each on its own, so the others are still saved.
                LogBatchFailed(failure, rows.Count);
                foreach (var p in rows)
                {
                    try
                    {
                        await InsertAsync([p]).ConfigureAwait(false);
                        p.Done.TrySetResult();
                    }
                    catch (Exception ex)
                    {
                        p.Done.TrySetException(ex);
                    }
                }
            }
        }
        // Flush markers complete after every row queued before them.
        foreach (var p in batch)
            if (p.Row is null) p.Done.TrySetResult();
    }

    private async Task InsertAsync(List<Pending> rows)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // Fresh entities per attempt: a failed SaveChanges may have left the ones it tracked half-updated (keys).
        foreach (var p in rows) db.CallTurns.Add(Copy(p.Row!));
        // One SaveChanges is one transaction (and, on SQLite, one turn of the write gate).
        await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static CallTurn Copy(CallTurn row) => new()
    {
        CallId = row.CallId, Sequence = row.Sequence, Speaker = row.Speaker, Text = row.Text, StartMs = row.StartMs,
        EndMs = row.EndMs, ToolCallsJson = row.ToolCallsJson, Interrupted = row.Interrupted, SttLatencyMs = row.SttLatencyMs,
        LlmFirstTokenMs = row.LlmFirstTokenMs, TtsFirstByteMs = row.TtsFirstByteMs, FirstAudioMs = row.FirstAudioMs,
        CreatedAt = row.CreatedAt,
    };

    /// <summary>Writes what is queued, then stops (the host is shutting down; calls have ended).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop.IsValueCreated) await _loop.Value.ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Rows} call turns failed; retrying in {DelayMs} ms")]
    private partial void LogRetrying(Exception exception, int rows, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Rows} call turns failed; writing them one by one")]
    private partial void LogBatchFailed(Exception exception, int rows);
}
