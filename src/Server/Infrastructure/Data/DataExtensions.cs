using System.Globalization;
using EstateVoice.Server.Features.Leads.Timeline;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace EstateVoice.Server.Infrastructure.Data;

public static class DataExtensions
{
    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder)
    {
        var database = DatabaseUrl.Parse(builder.Configuration["DATABASE_URL"], Directory.GetCurrentDirectory());
        builder.Services.AddSingleton(database);
        // Lead timeline entries are written as lead changes are saved; the recorder reads who is signed in.
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<LeadActivityRecorder>();
        // Pooled contexts: a request reuses a reset context instead of building EF's per-context services anew
        // (measured at ~10% of the server's CPU on the webhook path). The contexts hold no per-request state.
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            EnsureSqliteDirectory(database.ConnectionString);
            // One gate per database: its writers (EF and hand-written SQL) take turns without blocking threads.
            var waitLimit = TimeSpan.FromSeconds(double.Parse(builder.Configuration["SQLITE_WRITE_WAIT_SECONDS"] ?? "5", CultureInfo.InvariantCulture));
            builder.Services.AddSingleton(sp => new SqliteWriteGate(waitLimit, sp.GetRequiredService<ILogger<SqliteWriteGate>>()));
            var offIoThread = new SqliteOffIoThread();
            builder.Services.AddDbContextPool<AppDbContext, SqliteAppDbContext>((sp, o) =>
                o.UseSqlite(database.ConnectionString)
                    .AddInterceptors(offIoThread, new SqliteWriteSerializer(sp.GetRequiredService<SqliteWriteGate>()), sp.GetRequiredService<LeadActivityRecorder>())
                    .ReplaceService<IRelationalTransactionFactory, SqliteGatedTransactionFactory>());
        }
        else
        {
            var connectionString = WithAutoPrepare(database.ConnectionString);
            builder.Services.AddDbContextPool<AppDbContext, PostgresAppDbContext>((sp, o) =>
                o.UseNpgsql(connectionString, npgsql => npgsql.EnableRetryOnFailure(3))
                    .AddInterceptors(sp.GetRequiredService<LeadActivityRecorder>()));
        }
        builder.Services.AddHostedService<DatabaseInitializer>();
        return builder;
    }

    /// <summary>
    /// Npgsql prepares a statement once it has run a few times on a connection, so PostgreSQL stops parsing and
    /// planning it on every execution (≈40% of the database's CPU on the webhook path before). Off by default in
    /// Npgsql; an explicit "Max Auto Prepare" in DATABASE_URL's connection string wins. Needs session-level prepared
    /// statements, i.e. no PgBouncer in transaction mode older than 1.21.
    /// </summary>
    private static string WithAutoPrepare(string connectionString)
    {
        if (connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)) return connectionString;
        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64 }.ConnectionString;
    }

    private static void EnsureSqliteDirectory(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (dataSource == ":memory:" || string.IsNullOrEmpty(dataSource)) return;
        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
    }
}
