using System.Net;
using System.Xml.Linq;
using EstateVoice.Server.Features.Telephony;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Tests.Features.Telephony;

/// <summary>Callback URLs come from PUBLIC_BASE_URL (or the listen address in local demo mode), never from a request's Host.</summary>
public sealed class TwilioPublicUrlsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("http://voice.example.com")]
    [InlineData("https://voice.example.com/?next=1")]
    [InlineData("voice.example.com")]
    public async Task Twilio_credentials_without_an_https_PUBLIC_BASE_URL_stop_startup_naming_the_variable(string? publicBaseUrl)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => AppFactory.CreateAsync(Db.Sqlite, new()
        {
            ["TWILIO_ACCOUNT_SID"] = "AC00000000000000000000000000000001", ["TWILIO_AUTH_TOKEN"] = "token",
            ["TWILIO_PHONE_NUMBER"] = "+15125550123", ["PUBLIC_BASE_URL"] = publicBaseUrl,
        }));

        Assert.Contains("PUBLIC_BASE_URL", error.Message);
        Assert.Contains("https", error.Message);
    }

    [Fact]
    public async Task In_demo_mode_without_twilio_the_twiml_stream_url_is_the_servers_own_not_the_Host_header()
    {
        // Listening on every interface (a container) any Host is served, and still never used for a URL.
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, new()
        {
            ["SEED_DEMO_DATA"] = "true", ["DEMO_PASSWORD"] = AppFactory.Password, ["HOST"] = "0.0.0.0",
        });
        var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/webhook")
        {
            Content = new FormUrlEncodedContent(TwilioTestClient.VoiceRequest("CA-host")),
        };
        request.Headers.Host = "attacker.example";
        request.Headers.Add("X-Forwarded-Host", "attacker.example");

        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stream = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Element("Connect")!.Element("Stream")!;
        Assert.Equal("wss://127.0.0.1:8000/twilio/media-stream", (string)stream.Attribute("url")!); // HOST/PORT defaults
    }

    [Theory]
    [InlineData("voice.example.com", HttpStatusCode.OK)]
    [InlineData("VOICE.example.com:443", HttpStatusCode.OK)]
    [InlineData("localhost:8000", HttpStatusCode.OK)]
    [InlineData("127.0.0.1:8000", HttpStatusCode.OK)]
    [InlineData("[::1]:8000", HttpStatusCode.OK)]
    [InlineData("attacker.example", HttpStatusCode.BadRequest)]
    [InlineData("voice.example.com.attacker.example", HttpStatusCode.BadRequest)]
    public async Task With_PUBLIC_BASE_URL_only_its_host_and_loopback_names_are_served(string host, HttpStatusCode expected)
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, new() { ["PUBLIC_BASE_URL"] = "https://voice.example.com" });
        var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Host = host;

        Assert.Equal(expected, (await app.CreateClient().SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("localhost:8000", HttpStatusCode.OK)]
    [InlineData("127.0.0.1:8000", HttpStatusCode.OK)]
    [InlineData("[::1]:8000", HttpStatusCode.OK)]
    [InlineData("rebind.attacker.example", HttpStatusCode.BadRequest)]
    [InlineData("rebind.attacker.example:8000", HttpStatusCode.BadRequest)]
    public async Task The_local_demo_on_loopback_answers_only_loopback_names_against_DNS_rebinding(string host, HttpStatusCode expected)
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, new() { ["SEED_DEMO_DATA"] = "true", ["DEMO_PASSWORD"] = AppFactory.Password });

        Assert.Equal(expected, await HealthAsync(app, host));
    }

    [Fact]
    public async Task An_AllowedHosts_setting_wins_over_the_one_derived_from_PUBLIC_BASE_URL()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, new()
        {
            ["PUBLIC_BASE_URL"] = "https://voice.example.com", ["AllowedHosts"] = "voice.example.com;app.example.com",
        });

        Assert.Equal(HttpStatusCode.OK, await HealthAsync(app, "app.example.com"));
        Assert.Equal(HttpStatusCode.BadRequest, await HealthAsync(app, "localhost"));
    }

    [Theory]
    [InlineData("http://0.0.0.0:8000", "http://127.0.0.1:8000", "wss://127.0.0.1:8000/twilio/media-stream")]
    [InlineData("http://[::]:5000", "http://[::1]:5000", "wss://[::1]:5000/twilio/media-stream")]
    [InlineData("http://127.0.0.1:8000", "http://127.0.0.1:8000", "wss://127.0.0.1:8000/twilio/media-stream")]
    public void Without_PUBLIC_BASE_URL_the_listen_address_is_the_base(string listening, string expectedBase, string expectedStream)
    {
        var urls = new TwilioPublicUrls(Options.Create(new TwilioOptions()), ServerListeningOn(listening));

        Assert.Equal((expectedBase, expectedStream), (urls.Base, urls.MediaStream));
        Assert.Equal(expectedBase + "/twilio/status", urls.StatusCallback);
    }

    [Fact]
    public void PUBLIC_BASE_URL_is_normalised_and_keeps_its_path_prefix()
    {
        var urls = new TwilioPublicUrls(Options.Create(new TwilioOptions { PublicBaseUrl = "https://Voice.Example.com:443/estate/" }),
            ServerListeningOn("http://127.0.0.1:8000"));

        Assert.Equal("https://voice.example.com/estate/twilio/webhook", urls.Webhook);
        Assert.Equal("wss://voice.example.com/estate/twilio/media-stream", urls.MediaStream);
    }

    private static async Task<HttpStatusCode> HealthAsync(AppFactory app, string host)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Host = host;
        return (await app.CreateClient().SendAsync(request)).StatusCode;
    }

    internal static IServer ServerListeningOn(params string[] addresses) => new ListeningServer(addresses);

    private sealed class ListeningServer : IServer
    {
        public ListeningServer(string[] addresses)
        {
            var feature = new ServerAddressesFeature();
            foreach (var address in addresses) feature.Addresses.Add(address);
            Features.Set<IServerAddressesFeature>(feature);
        }

        public IFeatureCollection Features { get; } = new FeatureCollection();
        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull =>
            Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public void Dispose() { }
    }
}
