using System.Collections.Concurrent;
using System.Globalization;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

/// <summary>
/// <c>INSERT … ON CONFLICT (call SID, type, timestamp) DO NOTHING RETURNING "Id"</c> (SQLite ≥ 3.35 and PostgreSQL):
/// the unique index still decides duplicates, but a duplicate is an empty result rather than an exception that
/// EF logs as an error and that costs a rollback. Table, columns and value conversions come from the EF model
/// (<see cref="ModelColumns"/>), so SQLite's converters (ticks, enum names) apply exactly as they do for SaveChanges.
/// </summary>
internal static class EventLogInsert
{
    private static readonly ConcurrentDictionary<ModelColumns, string> Statements = new();

    public static async Task<bool> TryInsertAsync(AppDbContext db, ElevenLabsEventLog row, CancellationToken cancellationToken)
    {
        var columns = ModelColumns.For<ElevenLabsEventLog>(db);
        // Outside the caller's transaction the INSERT is a write of its own: on SQLite it takes its turn like EF's writers.
        await using var turn = await SqliteWriteGate.EnterForRawWriteAsync(db, "event log insert", cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = Statements.GetOrAdd(columns, Build);
            for (var i = 0; i < columns.Columns.Count; i++)
                ModelColumns.AddParameter(command, ModelColumns.Parameter(i), columns.Columns[i], row);
            var id = await command.ExecuteScalarAsync(cancellationToken);
            if (id is null or DBNull) return false;
            row.Id = Convert.ToInt64(id, CultureInfo.InvariantCulture);
            return true;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static string Build(ModelColumns log)
    {
        var key = log.Entity.GetIndexes().Single(i => i.IsUnique).Properties.Select(p => log[p.Name].Name);
        return $"INSERT INTO {log.Table} ({string.Join(", ", log.Columns.Select(c => c.Name))}) " +
               $"VALUES ({string.Join(", ", log.Columns.Select((_, i) => ModelColumns.Parameter(i)))}) " +
               $"ON CONFLICT ({string.Join(", ", key)}) DO NOTHING RETURNING {log.KeyColumn}";
    }
}
