using System.Text.Json;
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
        return builder;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealth }).AllowAnonymous();
        // Liveness: the process runs and serves HTTP; no dependency is checked (a database outage must not get a node restarted).
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealth }).AllowAnonymous();
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
