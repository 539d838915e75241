using System.Data.Common;
using System.Globalization;
using System.Text;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

/// <summary>
/// Writes an untracked call that a webhook changed, with its new turns, as one command of hand-built SQL: an INSERT
/// of every column for a new call, or an UPDATE of only the columns that changed, then one multi-row INSERT of the
/// turns. Why not SaveChanges: EF's change tracking, command batching and key propagation for the 28-column call
/// and its turns were the largest server cost per webhook (bench/Webhooks), and a new call took two round trips.
/// Runs in the caller's transaction, or in one of its own so the call and its turns land together.
/// </summary>
internal static class CallRowWriter
{
    /// <summary>Rows per INSERT statement: far below both databases' limits on parameters per statement.</summary>
    private const int TurnsPerStatement = 100;

    /// <summary>Every column's value now, for <see cref="UpdateAsync"/> to see what changed.</summary>
    public static object?[] Snapshot(AppDbContext db, Call call) =>
        ModelColumns.For<Call>(db).Columns.Select(c => c.Getter.GetClrValueUsingContainingEntity(call)).ToArray();

    /// <summary>Inserts the new <paramref name="call"/> and its <see cref="Call.Turns"/>; sets and returns its id.</summary>
    public static async Task<int> InsertAsync(AppDbContext db, Call call, CancellationToken cancellationToken)
    {
        var calls = ModelColumns.For<Call>(db);
        var id = await ExecuteAsync(db, (command, sql) =>
        {
            sql.Append($"INSERT INTO {calls.Table} ({string.Join(", ", calls.Columns.Select(c => c.Name))}) VALUES (");
            for (var i = 0; i < calls.Columns.Count; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append(ModelColumns.Parameter(i));
                ModelColumns.AddParameter(command, ModelColumns.Parameter(i), calls.Columns[i], call);
            }
            sql.Append($") RETURNING {calls.KeyColumn};\n");
            // The new id is not known until the INSERT runs: the turns find it by the call's unique SID, so one command does both.
            var sidParameter = ModelColumns.Parameter(calls.IndexOf(nameof(Call.CallSid)));
            AppendTurns(db, command, sql, call.Turns, $"(SELECT {calls.KeyColumn} FROM {calls.Table} WHERE {calls[nameof(Call.CallSid)].Name} = {sidParameter})");
        }, cancellationToken);
        call.Id = Convert.ToInt32(id, CultureInfo.InvariantCulture);
        foreach (var turn in call.Turns) turn.CallId = call.Id;
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
        await ExecuteAsync(db, (command, sql) =>
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
            AppendTurns(db, command, sql, call.Turns, callIdSql: null);
        }, cancellationToken);
    }

    /// <summary>
    /// Multi-row INSERTs of <paramref name="turns"/>. Their CallId is <paramref name="callIdSql"/> when given (the call
    /// is inserted by the same command), else the value on each turn.
    /// </summary>
    private static void AppendTurns(AppDbContext db, DbCommand command, StringBuilder sql, IReadOnlyList<CallTurn> turns, string? callIdSql)
    {
        var columns = ModelColumns.For<CallTurn>(db);
        var callId = columns[nameof(CallTurn.CallId)];
        for (var first = 0; first < turns.Count; first += TurnsPerStatement)
        {
            sql.Append($"INSERT INTO {columns.Table} ({string.Join(", ", columns.Columns.Select(c => c.Name))}) VALUES ");
            for (var row = first; row < Math.Min(turns.Count, first + TurnsPerStatement); row++)
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
    }

    /// <summary>Builds the command, runs it in the current transaction (or its own) and returns the first value it selects.</summary>
    private static async Task<object?> ExecuteAsync(AppDbContext db, Action<DbCommand, StringBuilder> build, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            // Outside a transaction (the retry worker's path) one of our own keeps the call and its turns together;
            // plain ADO.NET, because EF's retrying strategy refuses a transaction it did not start.
            await using var own = db.Database.CurrentTransaction is null ? await connection.BeginTransactionAsync(cancellationToken) : null;
            await using var command = connection.CreateCommand();
            command.Transaction = own ?? db.Database.CurrentTransaction!.GetDbTransaction();
            var sql = new StringBuilder();
            build(command, sql);
            command.CommandText = sql.ToString();
            object? first = null;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                do
                {
                    while (await reader.ReadAsync(cancellationToken)) first ??= reader.GetValue(0);
                } while (await reader.NextResultAsync(cancellationToken));
            }
            if (own is not null) await own.CommitAsync(cancellationToken);
            return first;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
