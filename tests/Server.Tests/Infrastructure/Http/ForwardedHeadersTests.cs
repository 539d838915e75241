using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace EstateVoice.Server.Tests.Infrastructure.Http;

/// <summary>
/// X-Forwarded-* headers are believed only from the proxies named in TRUSTED_PROXIES (loopback when unset):
/// anyone else inventing X-Forwarded-For keeps one rate-limit budget.
/// </summary>
public sealed class ForwardedHeadersTests
{
    [Fact]
    public async Task Without_TRUSTED_PROXIES_a_remote_client_cannot_reset_its_login_budget_by_rotating_X_Forwarded_For()
    {
        await using var app = await LoginLimitedApp(trustedProxies: null);

        int[] statuses =
        [
            await LoginAsync(app, remote: "198.51.100.7", forwardedFor: "1.1.1.1"),
            await LoginAsync(app, remote: "198.51.100.7", forwardedFor: "2.2.2.2"),
            await LoginAsync(app, remote: "198.51.100.7", forwardedFor: "3.3.3.3"),
        ];

        Assert.Equal([401, 401, 429], statuses);
        Assert.Equal(401, await LoginAsync(app, remote: "198.51.100.8", forwardedFor: "3.3.3.3")); // another client, its own budget
    }

    [Fact]
    public async Task Without_TRUSTED_PROXIES_a_proxy_on_loopback_is_believed()
    {
        await using var app = await LoginLimitedApp(trustedProxies: null);

        int[] sameClient = [await LoginAsync(app, "127.0.0.1", "203.0.113.5"), await LoginAsync(app, "127.0.0.1", "203.0.113.5"),
            await LoginAsync(app, "127.0.0.1", "203.0.113.5")];

        Assert.Equal([401, 401, 429], sameClient);
        Assert.Equal(401, await LoginAsync(app, "127.0.0.1", "203.0.113.6"));
    }

    [Fact]
    public async Task TRUSTED_PROXIES_takes_networks_and_replaces_the_loopback_default()
    {
        await using var app = await LoginLimitedApp(trustedProxies: "10.0.0.0/8, 192.0.2.10");

        int[] viaProxies = [await LoginAsync(app, "10.1.2.3", "203.0.113.5"), await LoginAsync(app, "192.0.2.10", "203.0.113.5"),
            await LoginAsync(app, "10.9.9.9", "203.0.113.5")];
        var otherClient = await LoginAsync(app, "10.1.2.3", "203.0.113.6");
        // Loopback is no longer a proxy: its rotating X-Forwarded-For values share one budget.
        int[] loopback = [await LoginAsync(app, "127.0.0.1", "1.1.1.1"), await LoginAsync(app, "127.0.0.1", "2.2.2.2"),
            await LoginAsync(app, "127.0.0.1", "3.3.3.3")];

        Assert.Equal([401, 401, 429], viaProxies);
        Assert.Equal(401, otherClient);
        Assert.Equal([401, 401, 429], loopback);
    }

    [Fact]
    public async Task A_TRUSTED_PROXIES_entry_that_is_not_an_address_or_network_stops_startup_naming_the_variable()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => LoginLimitedApp(trustedProxies: "10.0.0.1, proxy.internal"));

        Assert.Contains("TRUSTED_PROXIES", error.Message);
        Assert.Contains("proxy.internal", error.Message);
    }

    private static Task<AppFactory> LoginLimitedApp(string? trustedProxies) =>
        AppFactory.CreateAsync(Db.Sqlite, new() { ["LOGIN_RATE_LIMIT_PER_MINUTE"] = "2", ["TRUSTED_PROXIES"] = trustedProxies });

    private static async Task<int> LoginAsync(AppFactory app, string remote, string forwardedFor)
    {
        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = "/auth/login";
            c.Request.ContentType = "application/json";
            var body = Encoding.UTF8.GetBytes("""{"email":"nobody@example.com","password":"wrong-password"}""");
            c.Request.Body = new MemoryStream(body);
            c.Request.ContentLength = body.Length;
            c.Features.Set<IHttpRequestBodyDetectionFeature>(new HasBody());
            c.Connection.RemoteIpAddress = IPAddress.Parse(remote);
            c.Request.Headers["X-Forwarded-For"] = forwardedFor;
        });
        return context.Response.StatusCode;
    }

    private sealed class HasBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }
}
