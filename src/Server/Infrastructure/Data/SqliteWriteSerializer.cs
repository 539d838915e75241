using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EstateVoice.Server.Infrastructure.Data;

/// <summary>
/// Puts EF's SQLite writers in the <see cref="SqliteWriteGate"/> queue. Two calls saving a turn at the same moment
/// used to meet SQLite's lock, and Microsoft.Data.Sqlite's busy handler parked thread-pool threads: on a 2-core
/// machine every live call's audio then waited for the pool to grow (voice benchmark: 9 % of all thread time asleep
/// in SQLite, p95 overhead in the hundreds of ms). Queueing costs no thread. Reads never wait (WAL).
/// A transaction takes its turn before BEGIN (Microsoft.Data.Sqlite begins IMMEDIATE, i.e. it takes the lock at
/// once) and hands it to its <see cref="SqliteGatedTransaction"/>, which gives it back however the transaction ends —
/// EF's dispose fires no interceptor event, so the turn cannot live here. A write statement outside a transaction
/// holds the turn from its execution until it is done (its reader closed).
/// Also sets <c>synchronous=NORMAL</c> on each connection: with WAL a commit then no longer waits for an fsync
/// (the database stays consistent; a power cut can lose the last commits, never corrupt the file). The embedded
/// SQLite default is for single-node and demo use; production runs on PostgreSQL, where none of this applies.
/// </summary>
public sealed class SqliteWriteSerializer(SqliteWriteGate gate) : DbConnectionInterceptor, IDbCommandInterceptor, IDbTransactionInterceptor
{
    private const string TransactionWriter = "EF transaction", StatementWriter = "EF write statement";

    /// <summary>Autocommit write statements running now, each with its turn.</summary>
    private readonly ConcurrentDictionary<DbCommand, SqliteWriteGate.Hold> statements = new(ReferenceEqualityComparer.Instance);

    public SqliteWriteGate Gate => gate;

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

    // Transactions: the turn is taken before BEGIN; BEGIN is ours so that a failed BEGIN gives the turn straight back.
    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        if (result.HasResult) return result;
        var hold = await gate.EnterAsync(TransactionWriter, cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(eventData.IsolationLevel, cancellationToken).ConfigureAwait(false);
            gate.BeganTransaction(transaction, hold);
            return InterceptionResult<DbTransaction>.SuppressWithResult(transaction);
        }
        catch
        {
            hold.Dispose();
            throw;
        }
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        if (result.HasResult) return result;
        var hold = gate.Enter(TransactionWriter);
        try
        {
            var transaction = connection.BeginTransaction(eventData.IsolationLevel);
            gate.BeganTransaction(transaction, hold);
            return InterceptionResult<DbTransaction>.SuppressWithResult(transaction);
        }
        catch
        {
            hold.Dispose();
            throw;
        }
    }

    // A write statement outside a transaction (a single-row SaveChanges, ExecuteUpdate/ExecuteDelete) is its own transaction.
    public async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (IsAutocommitWrite(command)) statements[command] = await gate.EnterAsync(StatementWriter, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        if (IsAutocommitWrite(command)) statements[command] = gate.Enter(StatementWriter);
        return result;
    }

    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (IsAutocommitWrite(command)) statements[command] = await gate.EnterAsync(StatementWriter, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        if (IsAutocommitWrite(command)) statements[command] = gate.Enter(StatementWriter);
        return result;
    }

    public async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        if (IsAutocommitWrite(command)) statements[command] = await gate.EnterAsync(StatementWriter, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        if (IsAutocommitWrite(command)) statements[command] = gate.Enter(StatementWriter);
        return result;
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        StatementDone(command);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        StatementDone(command);
        return ValueTask.FromResult(result);
    }

    public object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        StatementDone(command);
        return result;
    }

    public ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        StatementDone(command);
        return ValueTask.FromResult(result);
    }

    // A reader's statement commits when the reader is done (RETURNING rows are read first).
    public InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        StatementDone(command);
        return result;
    }

    public ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        StatementDone(command);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        StatementDone(command);
        return result;
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => StatementDone(command);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        StatementDone(command);
        return Task.CompletedTask;
    }

    public void CommandCanceled(DbCommand command, CommandEndEventData eventData) => StatementDone(command);

    public Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        StatementDone(command);
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

    /// <summary>Ends an autocommit write's turn; a statement that took none (a read, or one inside a transaction) has nothing to give back.</summary>
    private void StatementDone(DbCommand command)
    {
        if (statements.TryRemove(command, out var hold)) hold.Dispose();
    }
}
