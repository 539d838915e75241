using System.Collections.Concurrent;
using EstateVoice.Server.Tests.Features.Webhooks.ElevenLabs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EstateVoice.Server.Tests.Fakes;

/// <summary>
/// A local stand-in for ElevenLabs' audio downloads (Kestrel on 127.0.0.1:0): /audio/ok serves <see cref="Audio"/>,
/// /audio/missing 404, /audio/slow stalls, /audio/huge streams more than any cap, /audio/flaky fails until told not to,
/// /audio/html answers 200 with a web page, /redirect?to=URL redirects (302) to any URL.
/// Records the xi-api-key it was sent.
/// </summary>
public sealed class FakeElevenLabsApi : IAsyncDisposable
{
    private readonly WebApplication app;
    public byte[] Audio { get; } = Payloads.Mp3(48_000, seed: 7);
    public const string ApiKey = "xi-test-key";
    public ConcurrentQueue<string?> ApiKeys { get; } = new();
    public int Requests => ApiKeys.Count;
    public volatile bool FlakyFails = true;
    public Uri BaseUrl { get; private set; } = null!;

    private FakeElevenLabsApi(WebApplication app) => this.app = app;

    public static async Task<FakeElevenLabsApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeElevenLabsApi(app);
        app.Use((context, next) => { fake.ApiKeys.Enqueue(context.Request.Headers["xi-api-key"].FirstOrDefault()); return next(context); });
        app.MapGet("/v1/user", (HttpContext c) => c.Request.Headers["xi-api-key"] == ApiKey
            ? Results.Json(new { subscription = new { tier = "free" } })
            : Results.Json(new { detail = new { status = "invalid_api_key" } }, statusCode: 401));
        app.MapGet("/audio/ok", () => Results.Bytes(fake.Audio, "audio/mpeg"));
        app.MapGet("/audio/missing", () => Results.NotFound());
        app.MapGet("/audio/flaky", () => fake.FlakyFails ? Results.StatusCode(503) : Results.Bytes(fake.Audio, "audio/mpeg"));
        app.MapGet("/audio/html", () => Results.Text("<html>internal admin page</html>", "text/html"));
        app.MapGet("/redirect", (string to) => Results.Redirect(to));
        app.MapGet("/audio/slow", async (HttpContext context) =>
        {
            context.Response.ContentType = "audio/mpeg";
            await context.Response.Body.WriteAsync(fake.Audio.AsMemory(0, 100));
            await context.Response.Body.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        });
        app.MapGet("/audio/huge", async (HttpContext context) =>
        {
            // No Content-Length: the cap must hold while streaming, not only when the size is announced.
            context.Response.ContentType = "audio/mpeg";
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < 64 && !context.RequestAborted.IsCancellationRequested; i++)
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
        });
        await app.StartAsync();
        fake.BaseUrl = new Uri(app.Urls.First() + "/");
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
