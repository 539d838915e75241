using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Infrastructure.Data;

public static class DataExtensions
{
    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder)
    {
        var database = DatabaseUrl.Parse(builder.Configuration["DATABASE_URL"], Directory.GetCurrentDirectory());
        builder.Services.AddSingleton(database);
        // Pooled contexts: a request reuses a reset context instead of building EF's per-context services anew
        // (measured at ~10% of the server's CPU on the webhook path). The contexts hold no per-request state.
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            EnsureSqliteDirectory(database.ConnectionString);
            var writers = new SqliteWriteSerializer(); // one per database: its writers take turns without blocking threads
            builder.Services.AddDbContextPool<AppDbContext, SqliteAppDbContext>(o => o.UseSqlite(database.ConnectionString).AddInterceptors(writers));
        }
        else
        {
            builder.Services.AddDbContextPool<AppDbContext, PostgresAppDbContext>(o =>
                o.UseNpgsql(database.ConnectionString, npgsql => npgsql.EnableRetryOnFailure(3)));
        }
        builder.Services.AddHostedService<DatabaseInitializer>();
        return builder;
    }

    private static void EnsureSqliteDirectory(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (dataSource == ":memory:" || string.IsNullOrEmpty(dataSource)) return;
        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
    }
}
