using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EstateVoice.Server.Infrastructure.Http;

internal sealed class DatabaseHealthCheck(AppDbContext db) : IHealthCheck
{
    /// <summary>A probe answers within a load balancer's probe timeout, even when the database host does not answer at all.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Limit);
        try
        {
            // A round trip, not CanConnect: opening a pooled connection succeeds without touching the server, so
            // CanConnect reports a database that has just gone away as reachable for as long as idle connections last.
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT 1";
                await command.ExecuteScalarAsync(timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                await db.Database.CloseConnectionAsync().ConfigureAwait(false);
            }
            return HealthCheckResult.Healthy($"{db.Provider} reachable");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{db.Provider} unreachable", exception);
        }
    }
}
