using System.Net;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace EstateVoice.Server.Tests.Features.Webhooks.ElevenLabs;

public class RateLimitTests
{
    [Fact]
    public async Task Past_the_threshold_a_client_gets_429_with_retry_after()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings(new() { ["ELEVENLABS_WEBHOOK_RATE_LIMIT_PER_MINUTE"] = "3" }));
        var client = app.CreateClient();

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.PostSignedAsync(app, Payloads.SeedTranscription(app.Now() + i, "CA-rl"))).StatusCode);
        var limited = await client.PostSignedAsync(app, Payloads.SeedTranscription(app.Now() + 3, "CA-rl"));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(3, await app.WithDbAsync(d => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(d.ElevenLabsEventLogs)));
    }

    [Fact]
    public async Task X_Forwarded_For_picks_the_partition_only_behind_a_trusted_proxy()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings(new()
        {
            ["ELEVENLABS_WEBHOOK_RATE_LIMIT_PER_MINUTE"] = "2", ["TRUSTED_PROXIES"] = "10.0.0.1",
        }));
        async Task<int> Send(string remote, string forwardedFor)
        {
            var context = await app.Server.SendAsync(c =>
            {
                c.Request.Method = "POST";
                c.Request.Path = ElevenLabsWebhook.Path;
                c.Connection.RemoteIpAddress = IPAddress.Parse(remote);
                c.Request.Headers["X-Forwarded-For"] = forwardedFor;
            });
            return context.Response.StatusCode;
        }

        // Through the trusted proxy each real client has its own budget (unsigned requests: 401 means "not limited").
        int[] viaProxy = [await Send("10.0.0.1", "203.0.113.5"), await Send("10.0.0.1", "203.0.113.5"), await Send("10.0.0.1", "203.0.113.5")];
        Assert.Equal(new[] { 401, 401, 429 }, viaProxy);
        Assert.Equal(401, await Send("10.0.0.1", "203.0.113.6"));
        // A direct client cannot escape its budget by inventing X-Forwarded-For values.
        int[] direct = [await Send("198.51.100.7", "1.1.1.1"), await Send("198.51.100.7", "2.2.2.2"), await Send("198.51.100.7", "3.3.3.3")];
        Assert.Equal(new[] { 401, 401, 429 }, direct);
        Assert.Equal(StatusCodes.Status401Unauthorized, await Send("198.51.100.8", "3.3.3.3"));
    }
}
