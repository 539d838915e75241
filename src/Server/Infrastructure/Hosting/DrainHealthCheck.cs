using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EstateVoice.Server.Infrastructure.Hosting;

/// <summary><c>/health/ready</c>'s <c>drain</c> entry: unhealthy (503) once the node drains, so a load balancer stops routing to it.</summary>
internal sealed class DrainHealthCheck(NodeDrain drain) : IHealthCheck
{
    public const string Name = "drain";

    /// <summary>The checks <c>/health/ready</c> runs (the database and the drain).</summary>
    public const string ReadyTag = "ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.IsDraining
            ? HealthCheckResult.Unhealthy($"draining: {drain.LiveCalls} live calls, no new ones")
            : HealthCheckResult.Healthy($"taking calls ({drain.LiveCalls} live)"));
}
