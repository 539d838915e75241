using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace EstateVoice.Server.Infrastructure.Data;

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    /// <summary>From the options' <see cref="SqliteWriteSerializer"/>, so hand-written ADO.NET writers find the same queue as EF's.</summary>
    public override SqliteWriteGate? WriteGate { get; } =
        options.FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<SqliteWriteSerializer>().FirstOrDefault()?.Gate;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // SQLite has no decimal or DateTimeOffset type and EF cannot translate comparisons or ORDER BY on them.
        // Money is stored as integer cents and times as UTC ticks (binary form), both ordered correctly as integers.
        configurationBuilder.Properties<decimal>().HaveConversion<DecimalToCentsConverter>();
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }

    private sealed class DecimalToCentsConverter() : ValueConverter<decimal, long>(
        value => (long)Math.Round(value * 100m, MidpointRounding.AwayFromZero),
        cents => cents / 100m);
}
