using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Xml.Linq;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static EstateVoice.Server.Tests.Features.Telephony.TwilioTestClient;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Infrastructure.Hosting;

/// <summary>
/// Graceful drain in process, on real Kestrel WebSockets: the host is stopped as SIGTERM stops it (the application
/// stops, then the host's StopAsync), while a call is live.
/// </summary>
public sealed class DrainTests
{
    private const string AuthToken = "twilio-test-auth-token";

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_draining_node_is_not_ready_refuses_new_streams_and_lets_a_live_call_complete(Db db)
    {
        var stt = new ScriptedSpeechToText("I want to sell my house in Dallas.");
        await using var app = await VoiceAppFactory.CreateAsync(db, stt, new ToneTextToSpeech(msPerWord: 10));
        app.Settings["Drain:TimeoutSeconds"] = "600";
        app.Settings["TWILIO_AUTH_TOKEN"] = AuthToken;
        app.Settings["PUBLIC_BASE_URL"] = PublicBaseUrl;
        await VoiceListings.SeedAsync(app);
        var token = await app.AccessTokenAsync(await app.CreateUserAsync(UserRole.Agent));
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);

        var (caller, callId) = await app.CallAsync();
        Task stopping;
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            stopping = StopHostAsync(app);
            await caller.WaitUntilAsync(async () => (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable);

            var ready = await ReadAsync(http, "/health/ready");
            Assert.Equal("unhealthy", ready.GetProperty("checks").GetProperty("drain").GetProperty("status").GetString());
            Assert.Equal("healthy", ready.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
            // /health is what it was: the database and the voice providers, not the drain.
            var health = await ReadAsync(http, "/health");
            Assert.False(health.GetProperty("checks").TryGetProperty("drain", out _));

            // New media streams are refused before the upgrade, with a status a client can read.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await UpgradeStatusAsync(app.WebSocketUri(MediaStreamEndpoint.TwilioPath)));
            Assert.Equal(HttpStatusCode.ServiceUnavailable,
                await UpgradeStatusAsync(new Uri(app.WebSocketUri(MediaStreamEndpoint.BrowserPath) + "?access_token=" + Uri.EscapeDataString(token))));

            // Twilio's webhook may still reach this node: its TwiML sends the stream to the public URL (the load balancer), not here.
            var twiml = XDocument.Parse(await (await PostSignedAsync(http, "/twilio/webhook", VoiceRequest("CA-during-drain"), AuthToken)).Content.ReadAsStringAsync());
            Assert.Equal("wss://voice.example.com/twilio/media-stream", (string?)twiml.Root!.Element("Connect")!.Element("Stream")!.Attribute("url"));

            // The live call goes on: the caller is heard and answered, then hangs up.
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("seller-intent"));
            Assert.False(stopping.IsCompleted, "the host waits for the live call");
            await caller.StopAsync();
            await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        }

        // The server has stopped (and disposed its services) by now: the rows are read from the database itself.
        await using var database = app.OpenDatabase();
        var call = await CallRowAsync(database, callId);
        Assert.Equal((CallStatus.Completed, (string?)null), (call.Status, call.FailureReason));
        Assert.Equal([Speaker.Agent, Speaker.Caller, Speaker.Agent], call.Turns.Select(t => t.Speaker));
        Assert.False(await database.Calls.AnyAsync(c => c.FromNumber == "browser"), "the refused test call made no row");
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_call_still_live_at_the_drain_deadline_hears_the_closing_line_gets_a_close_frame_and_is_finalised_as_a_server_shutdown(Db db)
    {
        await using var app = await VoiceAppFactory.CreateAsync(db, tts: new ToneTextToSpeech(msPerWord: 10));
        app.Settings["Drain:TimeoutSeconds"] = "1";
        var (caller, callId) = await app.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            var greetingAudio = caller.Media.Count;
            var clock = Stopwatch.StartNew();
            var stopping = StopHostAsync(app);

            // The line plays, then the server closes the socket with a close frame (the caller's socket answers it).
            await caller.WaitUntilAsync(() => caller.State is not WebSocketState.Open);
            var endedAfter = clock.Elapsed;
            await stopping.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(endedAfter >= TimeSpan.FromSeconds(0.9), $"the call went on until the deadline (ended after {endedAfter.TotalSeconds:0.00} s)");
            Assert.True(caller.Media.Count > greetingAudio, "the caller heard the closing line");
            Assert.Equal(WebSocketCloseStatus.NormalClosure, caller.CloseStatus);
        }

        await using var database = app.OpenDatabase();
        var call = await CallRowAsync(database, callId);
        Assert.Equal((CallStatus.Failed, "server shutdown"), (call.Status, call.FailureReason));
        Assert.NotNull(call.EndedAt);
        // The greeting, then the closing line, both written before the final status.
        Assert.Equal([Speaker.Agent, Speaker.Agent], call.Turns.Select(t => t.Speaker));
        Assert.Equal(new VoiceOptions().ShutdownLine, call.Turns[1].Text);
    }

    [Fact]
    public async Task Ready_fails_while_the_database_is_down_and_recovers_with_it_while_live_stays_up()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        await using var app = AppFactory.CreateOnPostgres(await cluster.CreateDatabaseAsync());
        var http = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);

        await cluster.StopAsync();
        await WaitForAsync(async () => (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable);
        var ready = await ReadAsync(http, "/health/ready");
        Assert.Equal("unhealthy", ready.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("healthy", ready.GetProperty("checks").GetProperty("drain").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);

        await cluster.StartAgainAsync();
        await WaitForAsync(async () => (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK);
    }

    /// <summary>
    /// What SIGTERM does: the console lifetime stops the application, and Program's <c>app.Run()</c> (which the test
    /// factory runs too) then stops the host, which waits on the drain, and disposes it. Completes once the host has stopped.
    /// </summary>
    private static Task StopHostAsync(VoiceAppFactory app)
    {
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStopped.Register(() => stopped.TrySetResult());
        lifetime.StopApplication();
        return stopped.Task;
    }

    private static Task<Call> CallRowAsync(Server.Infrastructure.Data.AppDbContext database, int callId) =>
        database.Calls.AsNoTracking().Include(c => c.Turns.OrderBy(t => t.Sequence)).SingleAsync(c => c.Id == callId);

    private static async Task<JsonElement> ReadAsync(HttpClient http, string path) =>
        JsonDocument.Parse(await (await http.GetAsync(path)).Content.ReadAsStringAsync()).RootElement;

    /// <summary>The HTTP status a WebSocket upgrade got instead of 101.</summary>
    private static async Task<HttpStatusCode> UpgradeStatusAsync(Uri uri)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));
        return socket.HttpStatusCode;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, int timeoutMs = 20000)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.ElapsedMilliseconds > timeoutMs) throw new TimeoutException("condition not met");
            await Task.Delay(100);
        }
    }
}
