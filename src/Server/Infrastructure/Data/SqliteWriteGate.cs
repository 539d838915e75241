using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Infrastructure.Data;

/// <summary>
/// The one queue every SQLite writer of this process waits in: EF transactions and autocommit statements (through
/// <see cref="SqliteWriteSerializer"/>) and hand-written ADO.NET writes (<see cref="EnterForRawWriteAsync"/>).
/// SQLite allows one writer at a time and Microsoft.Data.Sqlite answers a locked database by <c>Thread.Sleep</c>-ing
/// and retrying, so writers take turns here, asynchronously, instead.
/// A turn belongs to a unit of work — a <see cref="Hold"/> the writer disposes, or an EF transaction that gives it
/// back on commit, rollback or dispose — never to a (pooled) connection. No wait is unbounded: a writer that cannot
/// get its turn within <see cref="WaitLimit"/> gets a <see cref="WriteGateTimeoutException"/> (503 + Retry-After for
/// a request), and a cancelled request stops waiting.
/// </summary>
public sealed class SqliteWriteGate(TimeSpan waitLimit, ILogger<SqliteWriteGate> logger)
{
    private readonly SemaphoreSlim turn = new(1, 1);

    /// <summary>Holds taken for an EF transaction, between its BEGIN and the moment EF wraps it (see <see cref="SqliteGatedTransactionFactory"/>).</summary>
    private readonly ConcurrentDictionary<DbTransaction, Hold> beganTransactions = new(ReferenceEqualityComparer.Instance);

    /// <summary>Who holds the turn and since when (Stopwatch ticks): named in the timeout log line.</summary>
    private string? holder;
    private long heldSince;

    public TimeSpan WaitLimit { get; } = waitLimit;

    public async ValueTask<Hold> EnterAsync(string writer, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        if (!await turn.WaitAsync(WaitLimit, cancellationToken).ConfigureAwait(false)) throw TimedOut(writer, start);
        return Took(writer);
    }

    /// <summary>For EF's synchronous APIs (migrations at startup); the async path never blocks a thread.</summary>
    public Hold Enter(string writer)
    {
        var start = Stopwatch.GetTimestamp();
        if (!turn.Wait(WaitLimit)) throw TimedOut(writer, start);
        return Took(writer);
    }

    /// <summary>
    /// A raw ADO.NET write on <paramref name="db"/>'s connection takes its turn here before it starts. Null (nothing to
    /// give back) on PostgreSQL, and inside an EF transaction, which already holds the turn.
    /// </summary>
    public static async ValueTask<Hold?> EnterForRawWriteAsync(AppDbContext db, string writer, CancellationToken cancellationToken) =>
        db.WriteGate is { } gate && db.Database.CurrentTransaction is null ? await gate.EnterAsync(writer, cancellationToken).ConfigureAwait(false) : null;

    /// <summary>The gate's timeout, wherever EF or a caller wrapped it (SaveChanges wraps command failures in DbUpdateException).</summary>
    public static WriteGateTimeoutException? FindTimeout(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is WriteGateTimeoutException timeout) return timeout;
        return null;
    }

    internal void BeganTransaction(DbTransaction transaction, Hold hold) => beganTransactions[transaction] = hold;

    internal Hold? TakeTransactionHold(DbTransaction transaction) => beganTransactions.TryRemove(transaction, out var hold) ? hold : null;

    private Hold Took(string writer)
    {
        holder = writer;
        Volatile.Write(ref heldSince, Stopwatch.GetTimestamp());
        return new Hold(this);
    }

    private WriteGateTimeoutException TimedOut(string writer, long start)
    {
        var retryAfter = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(WaitLimit.TotalSeconds)));
        logger.LogWarning("sqlite_write_gate_timeout {Writer} waited_ms={WaitedMs:0} holder={Holder} held_ms={HeldMs:0}",
            writer, Stopwatch.GetElapsedTime(start).TotalMilliseconds, holder, Stopwatch.GetElapsedTime(Volatile.Read(ref heldSince)).TotalMilliseconds);
        return new WriteGateTimeoutException(WaitLimit, retryAfter);
    }

    private void Exit()
    {
        holder = null;
        turn.Release();
    }

    /// <summary>One writer's turn; disposing it (once, from any path) lets the next writer in.</summary>
    public sealed class Hold : IDisposable, IAsyncDisposable
    {
        private SqliteWriteGate? gate;

        internal Hold(SqliteWriteGate gate) => this.gate = gate;

        public void Dispose() => Interlocked.Exchange(ref gate, null)?.Exit();

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>The SQLite write turn could not be had in time: the database is busy (or a writer is stuck) — try again shortly.</summary>
public sealed class WriteGateTimeoutException(TimeSpan waited, TimeSpan retryAfter)
    : TimeoutException($"The database is busy: no write turn within {waited.TotalSeconds:0.#} s.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
