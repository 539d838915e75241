using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Voice.Live;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Infrastructure.Redis;

/// <summary>
/// Two nodes in this process (each a real Kestrel host) on one PostgreSQL database and one Redis (<c>REDIS_URL</c>):
/// what one node does reaches the clients of the other. <see cref="TwoNodeProcessTests"/> does the same with server
/// processes.
/// </summary>
public sealed class SharedStateTests
{
    private sealed class Cluster : IAsyncDisposable
    {
        public required VoiceAppFactory A { get; init; }
        public required VoiceAppFactory B { get; init; }
        public required RedisTarget Redis { get; init; }

        public static async Task<Cluster> StartAsync(Dictionary<string, string?>? settings = null, bool redis = true, ScriptedSpeechToText? stt = null)
        {
            var database = await PostgresServer.CreateDatabaseAsync();
            var target = await RedisServer.CreateAsync();
            VoiceAppFactory Node()
            {
                var node = VoiceAppFactory.OnPostgres(database, stt, new ToneTextToSpeech(msPerWord: 10));
                foreach (var (key, value) in (redis ? target.Settings : []).Concat(settings ?? [])) node.Settings[key] = value;
                return node;
            }
            var a = Node();
            _ = a.BaseUri; // A migrates the database before B starts
            var b = Node();
            _ = b.BaseUri;
            return new Cluster { A = a, B = b, Redis = target };
        }

        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
        }
    }

    private sealed class Listener(HubConnection connection) : IAsyncDisposable
    {
        public HubConnection Connection { get; } = connection;
        public ConcurrentQueue<(string Method, JsonElement Payload)> Events { get; } = new();
        public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IEnumerable<JsonElement> Of(string method, int callId) =>
            Events.Where(e => e.Method == method)
                .Select(e => method == "callUpdated" ? e.Payload.GetProperty("call") : e.Payload)
                .Where(p => p.GetProperty(method == "callUpdated" ? "id" : "call_id").GetInt32() == callId);

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    private static async Task<Listener> ListenAsync(VoiceAppFactory node, string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(node.BaseUri, CallsHub.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var listener = new Listener(connection);
        foreach (var method in new[] { "callUpdated", "transcript", "toolCall" })
            connection.On<JsonElement>(method, payload => listener.Events.Enqueue((method, payload)));
        connection.Closed += _ => { listener.Closed.TrySetResult(); return Task.CompletedTask; };
        await connection.StartAsync();
        return listener;
    }

    [Fact]
    public async Task A_call_on_node_A_is_seen_live_by_a_monitor_on_node_B()
    {
        await using var cluster = await Cluster.StartAsync(stt: new ScriptedSpeechToText("I'm looking to buy in Austin."));
        var manager = await cluster.A.CreateUserAsync(UserRole.Manager);
        await using var onB = await ListenAsync(cluster.B, await cluster.B.AccessTokenAsync(manager));

        var (caller, callId) = await cluster.A.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("buyer-intent"));
            await caller.WaitUntilAsync(() => onB.Of("transcript", callId).Any(t => t.GetProperty("speaker").GetString() == "caller"
                                                                                    && t.GetProperty("is_final").GetBoolean()));
            await caller.WaitUntilAsync(() => onB.Of("transcript", callId).Any(t => t.GetProperty("speaker").GetString() == "agent"));
            Assert.False(await cluster.A.CallEndedAsync(callId)); // live: the caller is still on the line
            await caller.StopAsync();
            await caller.WaitUntilAsync(() => onB.Of("callUpdated", callId).Any(e => e.GetProperty("status").GetString() == "completed"));
        }
        Assert.Equal("in_progress", onB.Of("callUpdated", callId).First().GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_node_reads_call_updates_only_while_a_monitor_is_connected_somewhere()
    {
        await using var cluster = await Cluster.StartAsync();
        var otherNodesSeenByA = cluster.A.Services.GetRequiredService<MonitorsOnOtherNodes>();
        var manager = await cluster.A.CreateUserAsync(UserRole.Manager);
        await WaitForAsync(() => cluster.A.Services.GetRequiredService<CallsHubListeners>() is { Any: false } && !otherNodesSeenByA.Any,
            TimeSpan.FromSeconds(2), "nobody watches at first");

        // B's first monitor is announced at once: A learns within a round trip, not a heartbeat.
        var onB = await ListenAsync(cluster.B, await cluster.B.AccessTokenAsync(manager));
        await WaitForAsync(() => otherNodesSeenByA.Any, TimeSpan.FromSeconds(2), "A learns of B's monitor");

        // Gone: B drops its entry at its next heartbeat, A forgets at its own.
        await onB.DisposeAsync();
        await WaitForAsync(() => !otherNodesSeenByA.Any, MonitorsOnOtherNodes.Heartbeat * 3, "A forgets B's monitor");
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) Assert.Fail($"{what}: not within {timeout.TotalSeconds:0.#} s");
            await Task.Delay(20);
        }
    }

    [Theory]
    [InlineData(true, 3)]
    [InlineData(false, 6)] // without Redis each node counts alone: the limit doubles — what the Redis count prevents
    public async Task The_login_rate_limit_holds_across_both_nodes(bool redis, int admitted)
    {
        await using var cluster = await Cluster.StartAsync(new() { ["LOGIN_RATE_LIMIT_PER_MINUTE"] = "3" }, redis);
        using var a = new HttpClient { BaseAddress = cluster.A.BaseUri };
        using var b = new HttpClient { BaseAddress = cluster.B.BaseUri };

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 8; i++)
        {
            // A different unknown email each time, so only the per-IP limit (not the per-account throttle) can refuse.
            var response = await (i % 2 == 0 ? a : b).PostAsJsonAsync("/auth/login", new { email = $"nobody{i}@example.com", password = "wrong-password" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused ??= response;
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, admitted).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 8 - admitted)), statuses);
        Assert.InRange(int.Parse(refused!.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_user_deactivated_on_node_A_loses_their_hub_connection_on_node_B_at_once()
    {
        // B's periodic re-check is 5 minutes away: only the Redis message can close the connection in time.
        await using var cluster = await Cluster.StartAsync(new() { ["SESSION_RECHECK_SECONDS"] = "300" });
        var (agent, admin) = (await cluster.A.CreateUserAsync(UserRole.Agent), await cluster.A.CreateUserAsync(UserRole.Admin));
        await using var onB = await ListenAsync(cluster.B, await cluster.B.AccessTokenAsync(agent));
        using var http = new HttpClient { BaseAddress = cluster.A.BaseUri };
        http.DefaultRequestHeaders.Authorization = new("Bearer", await cluster.A.AccessTokenAsync(admin));

        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/admin/users/{agent.Id}/deactivate", null)).StatusCode);

        await onB.Closed.Task.WaitAsync(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Data_protected_on_node_A_is_read_on_node_B()
    {
        await using var cluster = await Cluster.StartAsync();
        var secret = cluster.A.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("hello from A");

        Assert.Equal("hello from A", cluster.B.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(secret));
    }
}
