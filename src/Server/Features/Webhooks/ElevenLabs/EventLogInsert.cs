using System.Data.Common;
using System.Runtime.CompilerServices;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

/// <summary>
/// <c>INSERT … ON CONFLICT (call SID, type, timestamp) DO NOTHING RETURNING "Id"</c> (SQLite ≥ 3.35 and PostgreSQL):
/// the unique index still decides duplicates, but a duplicate is an empty result rather than an exception that
/// EF logs as an error and that costs a rollback. Table, columns and value conversions come from the EF model, so
/// SQLite's converters (ticks, enum names) apply exactly as they do for SaveChanges.
/// </summary>
internal static class EventLogInsert
{
    /// <summary>The statement and its columns, built once per model (SQLite and PostgreSQL each have their own).</summary>
    private sealed record Statement(string Sql, IReadOnlyList<(IProperty Property, ValueConverter? Converter)> Columns);

    private static readonly ConditionalWeakTable<IModel, Statement> Statements = new();

    public static async Task<bool> TryInsertAsync(AppDbContext db, ElevenLabsEventLog row, CancellationToken cancellationToken)
    {
        var statement = Statements.GetValue(db.Model, Build);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = statement.Sql;
            for (var i = 0; i < statement.Columns.Count; i++)
            {
                var (property, converter) = statement.Columns[i];
                var value = property.GetGetter().GetClrValue(row);
                if (value is not null && converter is not null) value = converter.ConvertToProvider(value);
                AddParameter(command, ParameterNames[i], value);
            }
            var id = await command.ExecuteScalarAsync(cancellationToken);
            if (id is null or DBNull) return false;
            row.Id = Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
            return true;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static readonly string[] ParameterNames = Enumerable.Range(0, 64).Select(i => $"@p{i}").ToArray();

    private static Statement Build(IModel model)
    {
        var entity = model.FindEntityType(typeof(ElevenLabsEventLog))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Where(p => p.Name != nameof(ElevenLabsEventLog.Id)).ToList();
        if (columns.Count > ParameterNames.Length) throw new InvalidOperationException("ElevenLabsEventLog has more columns than EventLogInsert expects.");
        string Column(IProperty p) => $"\"{p.GetColumnName(table)}\"";
        var key = entity.GetIndexes().Single(i => i.IsUnique).Properties.Select(Column);
        var sql =
            $"INSERT INTO \"{table.Name}\" ({string.Join(", ", columns.Select(Column))}) VALUES ({string.Join(", ", columns.Select((_, i) => ParameterNames[i]))}) " +
            $"ON CONFLICT ({string.Join(", ", key)}) DO NOTHING RETURNING \"Id\"";
        return new Statement(sql, columns.Select(p => (p, p.GetTypeMapping().Converter)).ToList());
    }

    private static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
