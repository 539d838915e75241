using EstateVoice.Server.Infrastructure.Data.Seed;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Infrastructure.Data;

/// <summary>Applies migrations (and the demo data when asked) before the server accepts requests.</summary>
internal sealed class DatabaseInitializer(IServiceProvider services, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // Nodes starting at once on one PostgreSQL take turns for the whole start, migrations and demo data: EF Core's
        // own migration lock did not hold (two nodes on an empty database both applied the first migrations and one
        // failed on "column already exists"). A session lock on a connection of its own, released when it closes.
        await using var startLock = db.Provider == DatabaseProvider.Postgres
            ? await PostgresStartLock.AcquireAsync(db.Database.GetConnectionString()!, cancellationToken)
            : null;
        if (db.Provider == DatabaseProvider.Sqlite)
            // WAL lets the web app read while a call writes its turns.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} migration(s) on {Provider}", pending.Count, db.Provider);
            await db.Database.MigrateAsync(cancellationToken);
        }
        await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedIfEnabledAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A PostgreSQL session advisory lock held while a node migrates and seeds (key "EVSTART" in ASCII).</summary>
    private sealed class PostgresStartLock(Npgsql.NpgsqlConnection connection) : IAsyncDisposable
    {
        private const long Key = 0x45_5653_5441_5254;

        public static async Task<PostgresStartLock> AcquireAsync(string connectionString, CancellationToken cancellationToken)
        {
            var connection = new Npgsql.NpgsqlConnection(connectionString);
            try
            {
                await connection.OpenAsync(cancellationToken);
                await using var command = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({Key})", connection);
                command.CommandTimeout = 0; // as long as the other node's start takes; the host's start is cancellable
                await command.ExecuteNonQueryAsync(cancellationToken);
                return new PostgresStartLock(connection);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock({Key})", connection);
                await command.ExecuteNonQueryAsync();
            }
            finally
            {
                await connection.DisposeAsync(); // a closed session releases its locks anyway
            }
        }
    }
}
