using System.Data.Common;
using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EstateVoice.Server.Infrastructure.Data;

/// <summary>
/// Makes the SQLite writers of this process take turns, asynchronously. SQLite allows one writer at a time and
/// Microsoft.Data.Sqlite answers a locked database by <c>Thread.Sleep</c>-ing and retrying: two calls saving a turn at
/// the same moment used to park thread-pool threads, and on a 2-core machine every live call's audio then waited
/// for the pool to grow (voice benchmark: 9 % of all thread time asleep in SQLite, p95 overhead in the hundreds of ms).
/// Queueing on a <see cref="SemaphoreSlim"/> instead costs no thread. The gate is held from the start of a
/// transaction to its end, or around a single write statement outside a transaction. Reads never wait (WAL).
/// Also sets <c>synchronous=NORMAL</c> on each connection: with WAL a commit then no longer waits for an fsync
/// (the database stays consistent; a power cut can lose the last commits, never corrupt the file). The embedded
/// SQLite default is for single-node and demo use; production runs on PostgreSQL, where none of this applies.
/// </summary>
public sealed class SqliteWriteSerializer : DbConnectionInterceptor, IDbCommandInterceptor, IDbTransactionInterceptor
{
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <summary>EF connections (by id) holding the gate, and for what: a transaction or one autocommit write.</summary>
    private readonly ConcurrentDictionary<Guid, object> _holders = [];
    private static readonly object ForTransaction = new(), ForStatement = new();

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=NORMAL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=NORMAL;";
        pragma.ExecuteNonQuery();
    }

    public override InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(eventData.ConnectionId);
        return result;
    }

    public override ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(eventData.ConnectionId);
        return ValueTask.FromResult(result);
    }

    // Transactions: the gate is taken before BEGIN and given back at commit, rollback or failure.
    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        await AcquireAsync(eventData.ConnectionId, ForTransaction, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Acquire(eventData.ConnectionId, ForTransaction);
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Release(eventData.ConnectionId);
    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) => Released(eventData.ConnectionId);
    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Release(eventData.ConnectionId);
    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) => Released(eventData.ConnectionId);
    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Release(eventData.ConnectionId);
    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default) => Released(eventData.ConnectionId);

    // A write statement outside a transaction (a single-row SaveChanges, ExecuteUpdate/ExecuteDelete) is its own transaction.
    public async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (IsAutocommitWrite(command)) await AcquireAsync(eventData.ConnectionId, ForStatement, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        if (IsAutocommitWrite(command)) Acquire(eventData.ConnectionId, ForStatement);
        return result;
    }

    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (IsAutocommitWrite(command)) await AcquireAsync(eventData.ConnectionId, ForStatement, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        if (IsAutocommitWrite(command)) Acquire(eventData.ConnectionId, ForStatement);
        return result;
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        ReleaseAutocommit(eventData.ConnectionId);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ReleaseAutocommit(eventData.ConnectionId);
        return ValueTask.FromResult(result);
    }

    // A reader's statement commits when the reader is done (RETURNING rows are read first).
    public InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        ReleaseAutocommit(eventData.ConnectionId);
        return result;
    }

    public ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        ReleaseAutocommit(eventData.ConnectionId);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        ReleaseAutocommit(eventData.ConnectionId);
        return result;
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => ReleaseAutocommit(eventData.ConnectionId);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ReleaseAutocommit(eventData.ConnectionId);
        return Task.CompletedTask;
    }

    public void CommandCanceled(DbCommand command, CommandEndEventData eventData) => ReleaseAutocommit(eventData.ConnectionId);

    public Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ReleaseAutocommit(eventData.ConnectionId);
        return Task.CompletedTask;
    }

    private static bool IsAutocommitWrite(DbCommand command) => command.Transaction is null && IsWrite(command.CommandText);

    /// <summary>EF's statements start with their verb (a batch with the verb of its first statement).</summary>
    internal static bool IsWrite(string sql)
    {
        var text = sql.AsSpan().TrimStart();
        return text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) || text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase) || text.StartsWith("REPLACE", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Ends an autocommit write's hold; a statement (even a read) inside a held transaction never releases it.</summary>
    private void ReleaseAutocommit(Guid connection)
    {
        if (_holders.TryGetValue(connection, out var purpose) && purpose == ForStatement) Release(connection);
    }

    private async Task AcquireAsync(Guid connection, object purpose, CancellationToken cancellationToken)
    {
        if (_holders.ContainsKey(connection)) return;
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        _holders[connection] = purpose;
    }

    private void Acquire(Guid connection, object purpose)
    {
        if (_holders.ContainsKey(connection)) return;
        _writer.Wait();
        _holders[connection] = purpose;
    }

    private Task Released(Guid connection)
    {
        Release(connection);
        return Task.CompletedTask;
    }

    private void Release(Guid connection)
    {
        if (_holders.TryRemove(connection, out _)) _writer.Release();
    }
}
