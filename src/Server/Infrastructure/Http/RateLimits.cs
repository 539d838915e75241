using System.Globalization;
using System.Threading.RateLimiting;
using EstateVoice.Server.Infrastructure.Redis;
using Microsoft.AspNetCore.RateLimiting;

namespace EstateVoice.Server.Infrastructure.Http;

public static class RateLimits
{
    public const string Login = "login";
    public const string ElevenLabsWebhook = "elevenlabs-webhook";

    public static IServiceCollection AddAppRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var loginPerMinute = int.TryParse(configuration["LOGIN_RATE_LIMIT_PER_MINUTE"], out var n) && n > 0 ? n : 20;
        var elevenLabsPerMinute = int.TryParse(configuration["ELEVENLABS_WEBHOOK_RATE_LIMIT_PER_MINUTE"], out var e) && e > 0 ? e : 600;
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(ElevenLabsWebhook, context => PerClientIp(context, ElevenLabsWebhook, elevenLabsPerMinute));
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(Login, context => PerClientIp(context, Login, loginPerMinute));
            options.OnRejected = async (context, ct) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = { Status = 429, Title = "Too Many Requests", Detail = "Too many requests; try again later." },
                });
            };
        });
        return services;
    }

    /// <summary>
    /// <paramref name="permitsPerMinute"/> per client IP: counted in Redis when nodes share one (<c>REDIS_URL</c>), so
    /// two nodes do not double the limit; otherwise in process.
    /// </summary>
    private static RateLimitPartition<string> PerClientIp(HttpContext context, string policy, int permitsPerMinute) =>
        Partition(context, policy, ClientIp(context), permitsPerMinute);

    /// <summary>
    /// <paramref name="permitsPerMinute"/> per <paramref name="partition"/> (a client IP, an integration key's hash):
    /// counted in Redis when nodes share one, otherwise in process.
    /// </summary>
    public static RateLimitPartition<string> Partition(HttpContext context, string policy, string partition, int permitsPerMinute)
    {
        if (context.RequestServices.GetService<RedisNode>() is { } redis)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimits));
            return RateLimitPartition.Get(partition, key => new RedisFixedWindowRateLimiter(redis, $"rate:{policy}:{key}", permitsPerMinute, TimeSpan.FromMinutes(1), logger));
        }
        return RateLimitPartition.GetFixedWindowLimiter(partition,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permitsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
    }

    /// <summary>
    /// The client address as the server saw it. X-Forwarded-For is honoured only when ForwardedHeaders middleware
    /// was configured for a trusted proxy (TRUSTED_PROXIES), which rewrites RemoteIpAddress before this runs.
    /// </summary>
    public static string ClientIp(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
