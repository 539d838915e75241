namespace EstateVoice.Bench.VoiceLoop;

/// <summary>
/// An OTLP/HTTP collector that accepts and discards (`--otlp`): the server then builds, batches and exports every
/// call's trace and its metrics as it would to a real collector, so the step's CPU and heap show what tracing costs.
/// Counts what arrives so the report can say how much was exported per call.
/// </summary>
public sealed class FakeOtlpCollector
{
    private long _exports;
    private long _bytes;

    public (long Exports, long Bytes) Received => (Interlocked.Read(ref _exports), Interlocked.Read(ref _bytes));

    public void Map(WebApplication app)
    {
        foreach (var signal in new[] { "traces", "metrics", "logs" })
            app.MapPost($"/v1/{signal}", ReceiveAsync);
    }

    /// <summary>The environment that points a server at this collector over OTLP/HTTP protobuf.</summary>
    public static void Configure(IDictionary<string, string> environment, string url)
    {
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = url;
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        var buffer = new byte[16 * 1024];
        long length = 0;
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0) length += read;
        Interlocked.Increment(ref _exports);
        Interlocked.Add(ref _bytes, length);
        // An empty ExportTraceServiceResponse/ExportMetricsServiceResponse is zero bytes of protobuf.
        context.Response.ContentType = "application/x-protobuf";
        context.Response.StatusCode = StatusCodes.Status200OK;
    }
}
