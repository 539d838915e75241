using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Xml.Linq;
using EstateVoice.CallSimulator;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Tests.Fakes;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using Microsoft.EntityFrameworkCore;
using static EstateVoice.Server.Tests.Features.Telephony.TwilioTestClient;

namespace EstateVoice.Server.Tests.Infrastructure.Hosting;

/// <summary>
/// Graceful drain of the real server process, signalled as an orchestrator signals it: a call placed through the
/// Twilio webhook and streamed over a real WebSocket, voice providers faked on loopback (Deepgram), the local agent.
/// </summary>
public sealed class ServerNodeDrainTests : IDisposable
{
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("estate-drain-node-").FullName;
    private string DatabaseUrl => $"sqlite:///{Path.Combine(dataDirectory, "node.db")}";

    [Fact]
    public async Task SIGTERM_during_a_call_lets_the_call_finish_then_the_process_exits_0()
    {
        await using var deepgram = await FakeDeepgramServer.StartAsync("I want to sell my house in Dallas.");
        await using var node = await ServerNode.StartAsync(Environment(deepgram));
        using var http = new HttpClient { BaseAddress = node.BaseUrl };
        var (caller, callId) = await CallAsync(node, http);
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();

            await node.TerminateAsync();
            await node.WaitForOutputAsync("Draining: not ready", TimeSpan.FromSeconds(10));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/health/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await UpgradeStatusAsync(StreamUri(node)));

            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("seller-intent"));
            Assert.False(node.HasExited, "the node waits for its live call");
            await caller.StopAsync();
            Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }

        await using var database = TestApp.OpenDatabase(DatabaseUrl);
        var call = await database.Calls.AsNoTracking().Include(c => c.Turns.OrderBy(t => t.Sequence)).SingleAsync(c => c.Id == callId);
        Assert.Equal((CallStatus.Completed, (string?)null), (call.Status, call.FailureReason));
        Assert.Equal([Speaker.Agent, Speaker.Caller, Speaker.Agent], call.Turns.Select(t => t.Speaker));
        Assert.Contains(node.Output, l => l.Contains("Drain finished", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SIGTERM_with_no_call_exits_0_at_once_whatever_the_drain_timeout()
    {
        await using var node = await ServerNode.StartAsync(new Dictionary<string, string> { ["DATA_DIR"] = dataDirectory, ["DATABASE_URL"] = DatabaseUrl });
        var clock = Stopwatch.StartNew();

        await node.TerminateAsync();
        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed.TotalSeconds:0.0} s with the default 600 s drain");
    }

    [Fact]
    public async Task A_second_SIGTERM_ends_the_live_calls_as_a_server_shutdown_and_the_process_exits_0()
    {
        await using var deepgram = await FakeDeepgramServer.StartAsync("hello");
        await using var node = await ServerNode.StartAsync(Environment(deepgram));
        using var http = new HttpClient { BaseAddress = node.BaseUrl };
        var (caller, callId) = await CallAsync(node, http);
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await node.TerminateAsync();
            await node.WaitForOutputAsync("Draining: not ready", TimeSpan.FromSeconds(10));

            await node.TerminateAsync();
            Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            await caller.WaitUntilAsync(() => caller.State is not WebSocketState.Open);
        }

        await using var database = TestApp.OpenDatabase(DatabaseUrl);
        var call = await database.Calls.AsNoTracking().SingleAsync(c => c.Id == callId);
        Assert.Equal((CallStatus.Failed, "server shutdown"), (call.Status, call.FailureReason));
        Assert.NotNull(call.EndedAt);
    }

    /// <summary>Demo mode (Twilio signature checks off, as <c>make run</c>), Deepgram faked, the local agent, a database the test reads afterwards.</summary>
    private Dictionary<string, string> Environment(FakeDeepgramServer deepgram) => new()
    {
        ["DATA_DIR"] = dataDirectory,
        ["DATABASE_URL"] = DatabaseUrl,
        ["SEED_DEMO_DATA"] = "true",
        ["DEEPGRAM_API_KEY"] = FakeDeepgramServer.ApiKey,
        ["DEEPGRAM_API_URL"] = deepgram.BaseUrl,
        ["LLM_PROVIDER"] = "local",
        ["Voice__SilenceMs"] = "300",
        ["Voice__IdlePromptSeconds"] = "60",
        ["Voice__IdleHangupSeconds"] = "60",
    };

    /// <summary>Twilio's side of an inbound call: the voice webhook, then the media stream its TwiML names.</summary>
    private static async Task<(SimulatedCall Caller, int CallId)> CallAsync(ServerNode node, HttpClient http)
    {
        var response = await PostSignedAsync(http, "/twilio/webhook", VoiceRequest("CA" + Guid.NewGuid().ToString("N")), authToken: null);
        response.EnsureSuccessStatusCode();
        var parameters = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Element("Connect")!.Element("Stream")!
            .Elements("Parameter").ToDictionary(p => (string)p.Attribute("name")!, p => (string)p.Attribute("value")!);
        var callId = int.Parse(parameters["call_id"], System.Globalization.CultureInfo.InvariantCulture);
        var caller = new SimulatedCall();
        await caller.ConnectAsync(StreamUri(node));
        await caller.StartAsync(callId, parameters["stream_token"]);
        return (caller, callId);
    }

    private static Uri StreamUri(ServerNode node) => new($"ws://{node.BaseUrl.Authority}{MediaStreamEndpoint.TwilioPath}");

    private static async Task<HttpStatusCode> UpgradeStatusAsync(Uri uri)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));
        return socket.HttpStatusCode;
    }

    public void Dispose()
    {
        try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { }
    }
}
