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
}
