using System.Text.Json;
using EstateVoice.Server.Features.Voice;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EstateVoice.Server.Infrastructure.Observability;

/// <summary>
/// What production sees of the server beyond <c>/metrics</c> (OperationsEndpoints): JSON console logs with
/// <c>LOG_FORMAT=json</c>, and traces and metrics over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the
/// standard OTEL_* variables — protocol, headers, service name, resource attributes — apply as the SDK reads them).
/// Unset, both stay as before: plain single-line logs, nothing exported, no tracing work on the voice path.
/// </summary>
public static class ObservabilityExtensions
{
    public const string LogFormatVariable = "LOG_FORMAT";
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string DefaultServiceName = "estate-voice";

    public static IHostApplicationBuilder AddObservability(this IHostApplicationBuilder builder)
    {
        if (IsJson(builder.Configuration[LogFormatVariable])) UseJsonConsoleLogs(builder.Services);
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable])) AddOtlpExport(builder);
        return builder;
    }

    /// <summary>json, or text / unset for the default; anything else stops startup here rather than logging the wrong way.</summary>
    private static bool IsJson(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        null or "" or "text" or "simple" => false,
        "json" => true,
        _ => throw new InvalidOperationException($"{LogFormatVariable} must be 'json' or 'text' (was '{format}')."),
    };

    /// <summary>
    /// One JSON object per line, with the logging scopes: the request's (RequestId, RequestPath, TraceId/SpanId) and the
    /// call's (CallSid, CallId, StreamSid — see <see cref="CallTelemetry"/>). Configured after appsettings' Console
    /// section binds, so its "simple" formatter and timestamp format give way.
    /// </summary>
    private static void UseJsonConsoleLogs(IServiceCollection services)
    {
        services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = ConsoleFormatterNames.Json);
        services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            o.JsonWriterOptions = new JsonWriterOptions { Indented = false };
        });
    }

    /// <summary>
    /// Traces (the voice loop's spans, one trace per call; the HTTP requests but not the probes and scrapes) and the
    /// same meters /metrics shows, to the collector at OTEL_EXPORTER_OTLP_ENDPOINT.
    /// </summary>
    private static void AddOtlpExport(IHostApplicationBuilder builder)
    {
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : DefaultServiceName;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddSource(VoiceTracing.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbeOrScrape(context.Request.Path))
                .AddOtlpExporter())
            .WithMetrics(metrics => metrics.AddOtlpExporter());
    }

    private static bool IsProbeOrScrape(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");
}
