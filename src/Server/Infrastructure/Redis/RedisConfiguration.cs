using System.Globalization;
using StackExchange.Redis;

namespace EstateVoice.Server.Infrastructure.Redis;

/// <summary>
/// <c>REDIS_URL</c>: a StackExchange.Redis configuration string (<c>localhost:6379</c>,
/// <c>host:6380,password=…,ssl=true</c>) or a <c>redis://[user:password@]host[:port][/db]</c> URL (<c>rediss://</c>
/// for TLS), the form hosted Redis services hand out.
/// </summary>
public static class RedisConfiguration
{
    public const string UrlVariable = "REDIS_URL";
    public const string KeyPrefixSetting = "Redis:KeyPrefix";
    public const string DefaultKeyPrefix = "estate-voice:";

    public static ConfigurationOptions Parse(string value)
    {
        ConfigurationOptions options;
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "redis" or "rediss")
        {
            options = new ConfigurationOptions { Ssl = uri.Scheme == "rediss" };
            options.EndPoints.Add(uri.Host, uri.IsDefaultPort ? 6379 : uri.Port);
            if (uri.UserInfo.Length > 0)
            {
                var parts = uri.UserInfo.Split(':', 2);
                if (parts.Length == 2)
                {
                    if (parts[0].Length > 0) options.User = Uri.UnescapeDataString(parts[0]);
                    options.Password = Uri.UnescapeDataString(parts[1]);
                }
                else options.Password = Uri.UnescapeDataString(parts[0]);
            }
            if (int.TryParse(uri.AbsolutePath.Trim('/'), NumberStyles.None, CultureInfo.InvariantCulture, out var database))
                options.DefaultDatabase = database;
        }
        else options = ConfigurationOptions.Parse(value);
        // A node must start (and serve calls) while Redis is briefly away; the multiplexer reconnects on its own.
        options.AbortOnConnectFail = false;
        return options;
    }
}
