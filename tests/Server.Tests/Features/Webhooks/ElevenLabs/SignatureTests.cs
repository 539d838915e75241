using System.Net;
using System.Text;
using EstateVoice.Server.Features.Webhooks.ElevenLabs;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Webhooks.ElevenLabs;

public class SignatureTests : IAsyncLifetime
{
    private AppFactory app = null!;
    private CapturedLogs logs = null!;

    public async Task InitializeAsync()
    {
        app = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings());
        logs = CapturedLogs.AttachTo(app);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    public static TheoryData<string, HttpStatusCode, string?> Cases => new()
    {
        { "valid v0", HttpStatusCode.OK, null },
        { "valid v1", HttpStatusCode.OK, null },
        { "several values, one valid", HttpStatusCode.OK, null },
        { "wrong secret", HttpStatusCode.Unauthorized, "elevenlabs_webhook_invalid_signature" },
        { "missing header", HttpStatusCode.Unauthorized, "elevenlabs_webhook_missing_signature" },
        { "malformed header", HttpStatusCode.Unauthorized, "elevenlabs_webhook_invalid_signature" },
        { "no timestamp", HttpStatusCode.Unauthorized, "elevenlabs_webhook_invalid_signature" },
        { "stale timestamp", HttpStatusCode.Unauthorized, "elevenlabs_webhook_invalid_signature" },
        { "future timestamp", HttpStatusCode.Unauthorized, "elevenlabs_webhook_invalid_signature" },
        { "body changed by one byte", HttpStatusCode.Unauthorized, "elevenlabs_webhook_invalid_signature" },
        { "upper-case hex", HttpStatusCode.OK, null },
    };

    [Theory, MemberData(nameof(Cases))]
    public async Task Signature_decides_whether_anything_is_read_or_written(string scenario, HttpStatusCode expected, string? loggedAs)
    {
        var now = app.Now();
        var body = Encoding.UTF8.GetBytes(Payloads.SeedTranscription(now, "CA" + Guid.NewGuid().ToString("N")));
        string Sign(long t, byte[] b, string secret = ElevenLabsWebhook.Secret, string scheme = "v0") => ElevenLabsSignatureVerifier.Header(secret, t, b, scheme);
        var wrongHex = new string('a', 64);
        var (sentBody, header) = scenario switch
        {
            "valid v0" => (body, Sign(now, body)),
            "valid v1" => (body, Sign(now, body, scheme: "v1")),
            "several values, one valid" => (body, $"t={now},v0={wrongHex},v1=zz,{Sign(now, body).Split(',')[1]}"),
            "wrong secret" => (body, Sign(now, body, secret: "wsec_someone_else")),
            "missing header" => (body, (string?)null),
            "malformed header" => (body, "v0 " + Sign(now, body)),
            "no timestamp" => (body, Sign(now, body).Split(',')[1]),
            "stale timestamp" => (body, Sign(now - 301, body)),
            "future timestamp" => (body, Sign(now + 301, body)),
            "body changed by one byte" => (Tamper(body), Sign(now, body)),
            "upper-case hex" => (body, $"t={now},v0={Sign(now, body).Split("v0=")[1].ToUpperInvariant()}"),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };

        var response = await app.CreateClient().SendAsync(ElevenLabsWebhook.Request(sentBody, header));

        Assert.Equal(expected, response.StatusCode);
        var logged = await app.WithDbAsync(db => db.ElevenLabsEventLogs.CountAsync());
        var calls = await app.WithDbAsync(db => db.Calls.CountAsync());
        if (expected == HttpStatusCode.OK)
        {
            Assert.Equal((1, 1), (logged, calls));
        }
        else
        {
            Assert.Equal((0, 0), (logged, calls));
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(1, logs.Count(loggedAs!));
        }
    }

    [Fact]
    public async Task Signature_within_five_minutes_either_way_is_accepted()
    {
        var now = app.Now();
        var client = app.CreateClient();
        foreach (var t in new[] { now - 299, now + 299 })
        {
            var body = Encoding.UTF8.GetBytes(Payloads.SeedTranscription(now, "CA" + Guid.NewGuid().ToString("N")));
            var response = await client.SendAsync(ElevenLabsWebhook.Request(body, ElevenLabsSignatureVerifier.Header(ElevenLabsWebhook.Secret, t, body)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Without_a_configured_secret_every_delivery_is_refused()
    {
        await using var unconfigured = await AppFactory.CreateAsync(Db.Sqlite);
        var body = Encoding.UTF8.GetBytes(Payloads.SeedTranscription(unconfigured.Now(), "CA1"));
        var response = await unconfigured.CreateClient().SendAsync(ElevenLabsWebhook.Request(body,
            ElevenLabsSignatureVerifier.Header(ElevenLabsWebhook.Secret, unconfigured.Now(), body)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await unconfigured.WithDbAsync(db => db.ElevenLabsEventLogs.CountAsync()));
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413_and_nothing_is_stored()
    {
        await using var small = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings(new() { ["ELEVENLABS_MAX_BODY_BYTES"] = "4096" }));
        var body = Encoding.UTF8.GetBytes(Payloads.SeedAudio(small.Now(), "CA1", Payloads.Mp3(8000)));
        var response = await small.CreateClient().SendAsync(ElevenLabsWebhook.Request(body, ElevenLabsSignatureVerifier.Header(ElevenLabsWebhook.Secret, small.Now(), body)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await small.WithDbAsync(db => db.ElevenLabsEventLogs.CountAsync()));
    }

    private static byte[] Tamper(byte[] body)
    {
        var copy = (byte[])body.Clone();
        var index = Array.IndexOf(copy, (byte)'H');
        copy[index] = (byte)'J';
        return copy;
    }
}
