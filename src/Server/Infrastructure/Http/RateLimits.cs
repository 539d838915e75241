using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace EstateVoice.Server.Infrastructure.Http;

public static class RateLimits
{
    public const string Login = "login";

    public static IServiceCollection AddAppRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var loginPerMinute = int.TryParse(configuration["LOGIN_RATE_LIMIT_PER_MINUTE"], out var n) && n > 0 ? n : 20;
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(Login, context => RateLimitPartition.GetFixedWindowLimiter(
                ClientIp(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = loginPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
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
    /// The client address as the server saw it. X-Forwarded-For is honoured only when ForwardedHeaders middleware
    /// was configured for a trusted proxy (TRUSTED_PROXIES), which rewrites RemoteIpAddress before this runs.
    /// </summary>
    public static string ClientIp(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
