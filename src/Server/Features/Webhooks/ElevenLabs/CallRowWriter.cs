using System.Data.Common;
using System.Globalization;
using System.Text;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

/// <summary>
/// Writes an untracked call that a webhook changed, with its new turns, in hand-built SQL: an INSERT of every column
/// for a new call, or an UPDATE of only the columns that changed, with the first turns in the same command, then the
/// remaining turns in commands of <see cref="TurnsPerCommand"/> rows. Why not SaveChanges: EF's change tracking,
/// command batching and key propagation for the 28-column call and its turns were the largest server cost per
/// webhook (bench/Webhooks), and a new call took two round trips. Why several commands for many turns: a command's
/// parameters are bound by name to each of its statements (Microsoft.Data.Sqlite looks every parameter up in every
/// statement), so one command for thousands of turns cost statements x parameters — 86 s for 10,000 turns.
/// Runs in the caller's transaction, or in one of its own so the call and its turns land together.
/// </summary>
internal static class CallRowWriter
{
    /// <summary>Rows per INSERT command: far below both databases' limits on parameters per statement.</summary>
    private const int TurnsPerCommand = 100;

    /// <summary>Every column's value now, for <see cref="UpdateAsync"/> to see what changed.</summary>
    public static object?[] Snapshot(AppDbContext db, Call call) =>
        ModelColumns.For<Call>(db).Columns.Select(c => c.Getter.GetClrValueUsingContainingEntity(call)).ToArray();

    /// <summary>Inserts the new <paramref name="call"/> and its <see cref="Call.Turns"/>; sets and returns its id.</summary>
    public static async Task<int> InsertAsync(AppDbContext db, Call call, CancellationToken cancellationToken)
    {
        var calls = ModelColumns.For<Call>(db);
        await using var unit = await WriteUnit.BeginAsync(db, cancellationToken);
        var id = await unit.ExecuteAsync((command, sql) =>
        {
            sql.Append($"INSERT INTO {calls.Table} ({string.Join(", ", calls.Columns.Select(c => c.Name))}) VALUES (");
            for (var i = 0; i < calls.Columns.Count; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append(ModelColumns.Parameter(i));
                ModelColumns.AddParameter(command, ModelColumns.Parameter(i), calls.Columns[i], call);
            }
            sql.Append($") RETURNING {calls.KeyColumn};\n");
            // The new id is not known until the INSERT runs: the first turns find it by the call's unique SID, so one command does both.
            var sidParameter = ModelColumns.Parameter(calls.IndexOf(nameof(Call.CallSid)));
            AppendTurns(db, command, sql, call.Turns, first: 0, $"(SELECT {calls.KeyColumn} FROM {calls.Table} WHERE {calls[nameof(Call.CallSid)].Name} = {sidParameter})");
        }, cancellationToken);
        call.Id = Convert.ToInt32(id, CultureInfo.InvariantCulture);
        foreach (var turn in call.Turns) turn.CallId = call.Id;
        await InsertTurnsAsync(unit, db, call.Turns, first: TurnsPerCommand, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return call.Id;
    }

    /// <summary>Writes the columns of <paramref name="call"/> that differ from <paramref name="before"/>, and inserts its <see cref="Call.Turns"/>.</summary>
    public static async Task UpdateAsync(AppDbContext db, Call call, object?[] before, CancellationToken cancellationToken)
    {
        var calls = ModelColumns.For<Call>(db);
        var changed = Enumerable.Range(0, calls.Columns.Count)
            .Where(i => !Equals(before[i], calls.Columns[i].Getter.GetClrValueUsingContainingEntity(call))).ToList();
        foreach (var turn in call.Turns) turn.CallId = call.Id;
        if (changed.Count == 0 && call.Turns.Count == 0) return;
        await using var unit = await WriteUnit.BeginAsync(db, cancellationToken);
        await unit.ExecuteAsync((command, sql) =>
        {
            if (changed.Count > 0)
            {
                sql.Append($"UPDATE {calls.Table} SET ");
                foreach (var i in changed)
                {
                    var name = ModelColumns.Parameter(command.Parameters.Count);
                    sql.Append(i == changed[0] ? "" : ", ").Append(calls.Columns[i].Name).Append(" = ").Append(name);
                    ModelColumns.AddParameter(command, name, calls.Columns[i], call);
                }
                var idParameter = command.CreateParameter();
                (idParameter.ParameterName, idParameter.Value) = (ModelColumns.Parameter(command.Parameters.Count), call.Id);
                command.Parameters.Add(idParameter);
                sql.Append($" WHERE {calls.KeyColumn} = {idParameter.ParameterName};\n");
            }
            AppendTurns(db, command, sql, call.Turns, first: 0, callIdSql: null);
        }, cancellationToken);
        await InsertTurnsAsync(unit, db, call.Turns, first: TurnsPerCommand, cancellationToken);
        await unit.CommitAsync(cancellationToken);
    }

    /// <summary>The turns from <paramref name="first"/> on, one command per <see cref="TurnsPerCommand"/> rows (their CallId is set).</summary>
    private static async Task InsertTurnsAsync(WriteUnit unit, AppDbContext db, List<CallTurn> turns, int first, CancellationToken cancellationToken)
    {
        for (var from = first; from < turns.Count; from += TurnsPerCommand)
        {
            var batch = from;
            await unit.ExecuteAsync((command, sql) => AppendTurns(db, command, sql, turns, batch, callIdSql: null), cancellationToken);
        }
    }

    /// <summary>
    /// One multi-row INSERT of up to <see cref="TurnsPerCommand"/> of <paramref name="turns"/> from <paramref name="first"/>.
    /// Their CallId is <paramref name="callIdSql"/> when given (the call is inserted by the same command), else the value on each turn.
    /// </summary>
    private static void AppendTurns(AppDbContext db, DbCommand command, StringBuilder sql, List<CallTurn> turns, int first, string? callIdSql)
    {
        if (first >= turns.Count) return;
        var columns = ModelColumns.For<CallTurn>(db);
        var callId = columns[nameof(CallTurn.CallId)];
        sql.Append($"INSERT INTO {columns.Table} ({string.Join(", ", columns.Columns.Select(c => c.Name))}) VALUES ");
        for (var row = first; row < Math.Min(turns.Count, first + TurnsPerCommand); row++)
        {
            sql.Append(row == first ? "(" : ", (");
            for (var i = 0; i < columns.Columns.Count; i++)
            {
                if (i > 0) sql.Append(", ");
                if (ReferenceEquals(columns.Columns[i], callId) && callIdSql is not null) { sql.Append(callIdSql); continue; }
                var name = ModelColumns.Parameter(command.Parameters.Count);
                sql.Append(name);
                ModelColumns.AddParameter(command, name, columns.Columns[i], turns[row]);
            }
            sql.Append(')');
        }
        sql.Append(";\n");
    }

    /// <summary>
    /// The connection, write turn and transaction the commands of one write share: the caller's EF transaction, or
    /// (the retry worker's path) one of our own — plain ADO.NET, because EF's retrying strategy refuses a transaction
    /// it did not start — which on SQLite first takes its turn in <see cref="SqliteWriteGate"/> like EF's writers.
    /// </summary>
    private sealed class WriteUnit : IAsyncDisposable
    {
        private readonly AppDbContext db;
        private readonly SqliteWriteGate.Hold? turn;
        private readonly DbTransaction? own;
        private readonly DbTransaction transaction;

        private WriteUnit(AppDbContext db, SqliteWriteGate.Hold? turn, DbTransaction? own, DbTransaction transaction) =>
            (this.db, this.turn, this.own, this.transaction) = (db, turn, own, transaction);

        public static async Task<WriteUnit> BeginAsync(AppDbContext db, CancellationToken cancellationToken)
        {
            var turn = await SqliteWriteGate.EnterForRawWriteAsync(db, "webhook call rows", cancellationToken);
            try
            {
                await db.Database.OpenConnectionAsync(cancellationToken);
                try
                {
                    var own = db.Database.CurrentTransaction is null ? await db.Database.GetDbConnection().BeginTransactionAsync(cancellationToken) : null;
                    return new WriteUnit(db, turn, own, own ?? db.Database.CurrentTransaction!.GetDbTransaction());
                }
                catch
                {
                    await db.Database.CloseConnectionAsync();
                    throw;
                }
            }
            catch
            {
                turn?.Dispose();
                throw;
            }
        }

        /// <summary>Builds a command, runs it and returns the first value it selects.</summary>
        public async Task<object?> ExecuteAsync(Action<DbCommand, StringBuilder> build, CancellationToken cancellationToken)
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = transaction;
            var sql = new StringBuilder();
            build(command, sql);
            command.CommandText = sql.ToString();
            object? first = null;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            do
            {
                while (await reader.ReadAsync(cancellationToken)) first ??= reader.GetValue(0);
            } while (await reader.NextResultAsync(cancellationToken));
            return first;
        }

        public Task CommitAsync(CancellationToken cancellationToken) => own?.CommitAsync(cancellationToken) ?? Task.CompletedTask;

        /// <summary>An own transaction not committed rolls back here; then the connection closes and the turn goes back.</summary>
        public async ValueTask DisposeAsync()
        {
            try
            {
                if (own is not null) await own.DisposeAsync();
            }
            finally
            {
                try { await db.Database.CloseConnectionAsync(); }
                finally { turn?.Dispose(); }
            }
        }
    }
}
