using System.Text.Json;
using EstateVoice.Server.Infrastructure.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using Scalar.AspNetCore;

namespace EstateVoice.Server.Infrastructure.Http;

public static class OperationsEndpoints
{
    public const string MeterName = "EstateVoice";

    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddMeter(MeterName)
            .AddMeter("EstateVoice.Voice") // VoiceMetrics: per-turn latency histograms, calls, barge-ins, provider failures
            .AddMeter("System.Runtime") // GC heap, CPU, thread pool: what the benchmarks and dashboards read
            .AddPrometheusExporter());
        builder.AddDrain();
        return builder;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = c => c.Name != DrainHealthCheck.Name, ResponseWriter = WriteHealth })
            .AllowAnonymous();
        // Liveness: the process runs and serves HTTP; no dependency is checked (a database outage must not get a node restarted).
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealth }).AllowAnonymous();
        // Readiness: route calls here? 503 while the node drains (SIGTERM) or its database is unreachable.
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(DrainHealthCheck.ReadyTag), ResponseWriter = WriteHealth })
            .AllowAnonymous();
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        // A fresh nonce per page lets SecurityHeaders allow Scalar's inline boot script only; fonts stay local (offline, no CDN).
        app.MapScalarApiReference("/docs", o => o.WithTitle("Estate Voice API").WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .WithNonce().DisableDefaultFonts()).AllowAnonymous();
        return app;
    }

    private static Task WriteHealth(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString().ToLowerInvariant(), description = e.Value.Description }),
        }));
    }
}
