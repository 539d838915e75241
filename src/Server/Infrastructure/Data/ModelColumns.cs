using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace EstateVoice.Server.Infrastructure.Data;

/// <summary>
/// Table and column names, value conversions and typed parameters of one entity, taken from the EF model, for the
/// few hot paths that write with hand-built SQL. Parameters are made by the same type mappings SaveChanges uses, so
/// SQLite's conversions (UTC ticks, enum names) and PostgreSQL's parameter types come out exactly as EF writes them.
/// Built once per model and entity type.
/// </summary>
internal sealed class ModelColumns
{
    private static readonly ConditionalWeakTable<IModel, ConcurrentDictionary<Type, ModelColumns>> Cache = new();

    public sealed record Column(IProperty Property, string Name, RelationalTypeMapping Mapping, IClrPropertyGetter Getter);

    /// <summary>The table's name, quoted.</summary>
    public string Table { get; }

    /// <summary>Every mapped column except the store-generated key, in model order.</summary>
    public IReadOnlyList<Column> Columns { get; }

    public string KeyColumn { get; }

    public IEntityType Entity { get; }

    private readonly Dictionary<string, int> indexByProperty;

    private ModelColumns(IEntityType entity)
    {
        Entity = entity;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        Table = Quote(table.Name);
        var key = entity.FindPrimaryKey()!.Properties.Single();
        KeyColumn = Quote(key.GetColumnName(table)!);
        Columns = entity.GetProperties().Where(p => p != key)
            .Select(p => new Column(p, Quote(p.GetColumnName(table)!), (RelationalTypeMapping)p.GetTypeMapping(), p.GetGetter()))
            .ToList();
        indexByProperty = Columns.Select((c, i) => (c.Property.Name, i)).ToDictionary(x => x.Name, x => x.i);
    }

    public static ModelColumns For<TEntity>(DbContext db) =>
        Cache.GetValue(db.Model, _ => new()).GetOrAdd(typeof(TEntity), (type, model) => new ModelColumns(model.FindEntityType(type)!), db.Model);

    public Column this[string propertyName] => Columns[indexByProperty[propertyName]];

    public int IndexOf(string propertyName) => indexByProperty[propertyName];

    /// <summary>The entity's value for <paramref name="column"/>, as a parameter of the provider's type.</summary>
    public static void AddParameter(DbCommand command, string name, Column column, object entity) =>
        command.Parameters.Add(column.Mapping.CreateParameter(command, name, column.Getter.GetClrValueUsingContainingEntity(entity), column.Property.IsNullable));

    /// <summary>Reads a column selected by hand-built SQL back into the model's type (undoing SQLite's conversions).</summary>
    public static T? Read<T>(DbDataReader reader, int ordinal, Column column)
    {
        if (reader.IsDBNull(ordinal)) return default;
        if (column.Mapping.Converter is { } converter) return (T?)converter.ConvertFromProvider(reader.GetValue(ordinal));
        return reader.GetFieldValue<T>(ordinal);
    }

    private static readonly string[] ParameterNames = Enumerable.Range(0, 256).Select(i => $"@p{i}").ToArray();

    /// <summary>"@p0", "@p1", …: one spelling both SQLite and Npgsql accept.</summary>
    public static string Parameter(int index) => index < ParameterNames.Length ? ParameterNames[index] : $"@p{index}";

    private static string Quote(string identifier) => $"\"{identifier}\"";
}
