using System.Net;
using EstateVoice.Server.Features.Webhooks.ElevenLabs;
using EstateVoice.Server.Tests.Fakes;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Webhooks.ElevenLabs;

/// <summary>
/// A signed post_call_audio must not turn the server into a fetcher of internal URLs: loopback, private and
/// metadata addresses are refused (before connecting, after DNS, after each redirect), nothing is stored, and the
/// reply says nothing about what the target answered.
/// </summary>
public class AudioUrlSsrfTests : IAsyncLifetime
{
    private FakeElevenLabsApi internalService = null!;

    public async Task InitializeAsync() => internalService = await FakeElevenLabsApi.StartAsync();

    public async Task DisposeAsync() => await internalService.DisposeAsync();

    /// <summary>Default settings (no local exemption): what a production server does with an internal audio_url.</summary>
    [Theory]
    [InlineData("http://127.0.0.1:{port}/audio/ok", "not https")]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/security-credentials/", "not https")]
    [InlineData("https://10.1.2.3/audio.mp3", "not on the allow-list")]
    [InlineData("https://[::1]:{port}/audio/ok", "not on the allow-list")]
    [InlineData("https://attacker.example/audio.mp3", "not on the allow-list")]
    public async Task An_internal_audio_url_is_refused_nothing_is_stored_and_the_reply_reveals_nothing(string template, string reason)
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings());
        var url = template.Replace("{port}", internalService.BaseUrl.Port.ToString());

        var body = await app.CreateClient().PostSignedJsonAsync(app, Payloads.SeedAudio(app.Now(), "CA-ssrf", audioUrl: url));

        Assert.Equal((false, AudioUnavailableException.ReplyError), (body.GetProperty("success").GetBoolean(), body.GetProperty("error").GetString()));
        Assert.Equal(0, internalService.Requests);
        var log = await app.WithDbAsync(d => d.ElevenLabsEventLogs.SingleAsync());
        Assert.Equal(WebhookProcessingState.Failed, log.ProcessingState);
        Assert.Contains(reason, log.LastError);
        Assert.Equal(0, await app.WithDbAsync(d => d.Calls.CountAsync())); // so nothing to read at /calls/{id}/recording
    }

    [Fact]
    public async Task An_allowed_host_name_that_resolves_to_loopback_is_refused_after_dns()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings(new() { ["ELEVENLABS_AUDIO_HOSTS"] = "localhost" }));

        var body = await app.CreateClient().PostSignedJsonAsync(app, Payloads.SeedAudio(app.Now(), "CA-dns",
            audioUrl: $"https://localhost:{internalService.BaseUrl.Port}/audio/ok"));

        Assert.Equal(AudioUnavailableException.ReplyError, body.GetProperty("error").GetString());
        Assert.Equal(0, internalService.Requests);
        var log = await app.WithDbAsync(d => d.ElevenLabsEventLogs.SingleAsync());
        Assert.Equal(WebhookProcessingState.Failed, log.ProcessingState);
        Assert.Contains("a local or private address", log.LastError);
    }

    /// <summary>The fake ElevenLabs is reachable (the test exemption covers its origin only); where it redirects is not.</summary>
    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "not https")]
    [InlineData("https://127.0.0.1:{port}/audio/ok", "a local or private address")] // same host as the API URL, other origin
    [InlineData("https://attacker.example/audio.mp3", "not on the allow-list")]
    public async Task A_redirect_from_the_api_to_an_internal_address_is_refused(string template, string reason)
    {
        await using var api = await FakeElevenLabsApi.StartAsync();
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings(new()
        {
            ["ELEVENLABS_API_URL"] = api.BaseUrl.ToString(), ["ELEVENLABS_API_URL_ALLOW_LOCAL"] = "true",
        }));
        var to = template.Replace("{port}", internalService.BaseUrl.Port.ToString());

        var body = await app.CreateClient().PostSignedJsonAsync(app, Payloads.SeedAudio(app.Now(), "CA-redirect",
            audioUrl: new Uri(api.BaseUrl, "redirect?to=" + Uri.EscapeDataString(to)).ToString()));

        Assert.Equal(AudioUnavailableException.ReplyError, body.GetProperty("error").GetString());
        Assert.Equal(1, api.Requests);
        Assert.Equal(0, internalService.Requests);
        var log = await app.WithDbAsync(d => d.ElevenLabsEventLogs.SingleAsync());
        Assert.Equal(WebhookProcessingState.Failed, log.ProcessingState);
        Assert.Contains(reason, log.LastError);
        Assert.Equal(0, await app.WithDbAsync(d => d.Calls.CountAsync()));
    }

    [Fact]
    public async Task The_api_key_goes_only_to_the_api_origin_even_across_redirects()
    {
        var options = new ElevenLabsOptions { ApiKey = "xi-secret" };
        var seen = new List<(string Host, string? Key)>();
        var handler = new StubHandler(request =>
        {
            seen.Add((request.RequestUri!.Host, request.Headers.TryGetValues("xi-api-key", out var keys) ? keys.Single() : null));
            if (request.RequestUri.AbsolutePath == "/hop")
                return new HttpResponseMessage(HttpStatusCode.Found) { Headers = { Location = new Uri("https://api.us.elevenlabs.io/audio") } };
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([1, 2, 3]) { Headers = { ContentType = new("audio/mpeg") } } };
        });
        var downloader = new ElevenLabsAudioDownloader(new HttpClient(handler), options, new AudioFetchPolicy(options));

        Assert.Equal([1, 2, 3], await downloader.DownloadAsync(new Uri("https://api.elevenlabs.io/hop"), CancellationToken.None));
        Assert.Equal([1, 2, 3], await downloader.DownloadAsync(new Uri("https://api.eu.residency.elevenlabs.io/audio"), CancellationToken.None));

        Assert.Equal([("api.elevenlabs.io", "xi-secret"), ("api.us.elevenlabs.io", null), ("api.eu.residency.elevenlabs.io", null)], seen);
    }

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("0.0.0.0")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("169.254.169.254")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")] // NAT64 form of 169.254.169.254
    [InlineData("2002:7f00:1::1")] // 6to4 form of 127.0.0.1
    [InlineData("::127.0.0.1")]
    public void Local_private_link_local_and_special_addresses_are_refused(string address) =>
        Assert.True(AudioFetchPolicy.IsRefusedAddress(IPAddress.Parse(address)));

    [Theory]
    [InlineData("34.120.1.10")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("169.255.0.1")]
    [InlineData("2600:1901:0:1::1")]
    [InlineData("::ffff:34.120.1.10")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.False(AudioFetchPolicy.IsRefusedAddress(IPAddress.Parse(address)));
}
