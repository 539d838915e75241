using System.Diagnostics;

namespace EstateVoice.Server.Infrastructure.Http;

/// <summary>
/// One structured line per request. Logs the path only — never the query string (it can carry access_token)
/// nor headers (Authorization, signatures).
/// </summary>
internal sealed class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var level = context.Response.StatusCode >= 500 ? LogLevel.Error : LogLevel.Information;
            logger.Log(level, "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms",
                context.Request.Method, context.Request.Path.Value, context.Response.StatusCode, elapsed);
        }
    }
}
