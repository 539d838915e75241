using Microsoft.AspNetCore.DataProtection;

namespace EstateVoice.Server.Infrastructure.Redis;

public static class RedisExtensions
{
    /// <summary>
    /// With <c>REDIS_URL</c>, what must be one across nodes goes through Redis: SignalR groups (a call on node A
    /// reaches a monitor on node B), the per-IP rate limits (<see cref="Http.RateLimits"/>), session ends (a revoked
    /// user's hub connections close on every node) and the data-protection key ring. Without it, nothing changes:
    /// one node, all in process.
    /// </summary>
    public static IHostApplicationBuilder AddRedis(this IHostApplicationBuilder builder)
    {
        var url = builder.Configuration[RedisConfiguration.UrlVariable];
        if (string.IsNullOrWhiteSpace(url)) return builder;
        var prefix = builder.Configuration[RedisConfiguration.KeyPrefixSetting] is { Length: > 0 } p ? p : RedisConfiguration.DefaultKeyPrefix;
        var node = new RedisNode(RedisConfiguration.Parse(url), prefix);
        // A factory registration, so the container disposes the connection at shutdown.
        builder.Services.AddSingleton(_ => node);

        builder.Services.AddSignalR().AddStackExchangeRedis(options =>
        {
            options.Configuration = node.Configuration.Clone();
            options.Configuration.ChannelPrefix = node.Channel("signalr:");
        });

        // Nothing the server protects today outlives a restart (tokens and device cookies are HMACs of SECRET_KEY),
        // but ASP.NET Core's own uses (antiforgery, any cookie auth added later) must read on node B what node A
        // wrote. Redis rather than the database: no migration on two providers, and Redis is already required here.
        builder.Services.AddDataProtection()
            .SetApplicationName("estate-voice")
            .PersistKeysToStackExchangeRedis(() => node.Database, node.Key("data-protection-keys"));
        return builder;
    }
}
