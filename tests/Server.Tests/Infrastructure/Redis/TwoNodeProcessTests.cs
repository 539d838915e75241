using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.CallSimulator;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Features.Voice.Live;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Infrastructure.Redis;

/// <summary>
/// Two real server processes (<see cref="ServerNode"/>) on one PostgreSQL database and one Redis: a call placed
/// through node A is seen live by a monitor on node B, the login rate limit holds across both, and when node A is
/// killed (SIGKILL) mid-call node B finalises that call within 30 s. (SIGTERM during a call: helper drain's tests.)
/// </summary>
public sealed class TwoNodeProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private sealed class TwoNodes : IAsyncDisposable
    {
        public required ServerNode A { get; init; }
        public required ServerNode B { get; init; }
        public required string Database { get; init; }
        public required string DataDirectory { get; init; }

        public static Uri Url(ServerNode node) => node.BaseUrl;

        public static async Task<TwoNodes> StartAsync(Dictionary<string, string>? settings = null)
        {
            var database = await PostgresServer.CreateDatabaseAsync();
            var redis = await RedisServer.CreateAsync();
            var data = Directory.CreateTempSubdirectory("estate-nodes-").FullName;
            Dictionary<string, string> Environment(string name)
            {
                var environment = new Dictionary<string, string>(redis.Environment)
                {
                    ["DATABASE_URL"] = database,
                    ["JWT_SECRET_KEY"] = TestApp.JwtSecret, // one key for both nodes: a token from A is good on B
                    // Demo mode: Twilio signature checks off (as in bench-voice), offline providers.
                    ["SEED_DEMO_DATA"] = "true",
                    ["DATA_DIR"] = Path.Combine(data, name),
                    ["CallLeases__NodeId"] = name,
                    ["CallLeases__LeaseSeconds"] = "3",
                    ["CallLeases__RenewSeconds"] = "1",
                    ["CallLeases__SweepSeconds"] = "1",
                };
                foreach (var (key, value) in settings ?? []) environment[key] = value;
                return environment;
            }
            using var timeout = new CancellationTokenSource(Patience);
            // At once, as a deployment starts them: both migrate and seed the empty database concurrently.
            var a = ServerNode.StartAsync(Environment("node-a"), timeout.Token);
            var b = ServerNode.StartAsync(Environment("node-b"), timeout.Token);
            try
            {
                await Task.WhenAll(a, b);
            }
            catch
            {
                foreach (var started in new[] { a, b }.Where(t => t.IsCompletedSuccessfully)) await started.Result.DisposeAsync();
                throw;
            }
            return new TwoNodes { A = a.Result, B = b.Result, Database = database, DataDirectory = data };
        }

        public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> work)
        {
            await using var db = new PostgresAppDbContext(new DbContextOptionsBuilder<PostgresAppDbContext>().UseNpgsql(Database).Options);
            return await work(db);
        }

        public async Task<string> ManagerTokenAsync(ServerNode node)
        {
            var manager = await WithDbAsync(async db =>
            {
                var user = TestApp.NewUser(UserRole.Manager, DateTimeOffset.UtcNow);
                db.Users.Add(user);
                await db.SaveChangesAsync();
                return user;
            });
            using var http = new HttpClient { BaseAddress = Url(node) };
            var response = await http.PostAsJsonAsync("/auth/login", new { email = manager.Email, password = TestApp.Password });
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        }

        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
            try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
        }
    }

    private sealed class Monitor(HubConnection connection) : IAsyncDisposable
    {
        public ConcurrentQueue<JsonElement> Calls { get; } = new();

        public bool Saw(string callSid, string status) =>
            Calls.Any(c => c.GetProperty("call_sid").GetString() == callSid && c.GetProperty("status").GetString() == status);

        public static async Task<Monitor> StartAsync(ServerNode node, string token)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(node.BaseUrl, CallsHub.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
                .Build();
            var monitor = new Monitor(connection);
            connection.On<JsonElement>("callUpdated", payload => monitor.Calls.Enqueue(payload.GetProperty("call")));
            await connection.StartAsync();
            return monitor;
        }

        public async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
        {
            using var cts = new CancellationTokenSource(timeout);
            while (!condition())
            {
                if (cts.IsCancellationRequested)
                    throw new TimeoutException($"{what} not seen in {timeout.TotalSeconds:0} s; saw {string.Join(", ", Calls.Select(c => c.GetProperty("status").GetString()))}");
                await Task.Delay(50, CancellationToken.None);
            }
        }

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }

    [Fact]
    public async Task A_call_on_node_A_is_live_on_node_B_and_when_A_is_killed_B_finalises_it_within_30_seconds()
    {
        await using var nodes = await TwoNodes.StartAsync();
        await using var onB = await Monitor.StartAsync(nodes.B, await nodes.ManagerTokenAsync(nodes.B));
        using var http = new HttpClient { Timeout = Patience };
        using var timeout = new CancellationTokenSource(Patience);

        var call = await SimulatedCall.DialAsync(http, new SimulatorOptions(TwoNodes.Url(nodes.A)), timeout.Token);
        await using (call)
        {
            // Live on B while the caller is still on A's line.
            await onB.WaitUntilAsync(() => onB.Saw(call.CallSid, "in_progress"), TimeSpan.FromSeconds(20), "in_progress on node B");
            var row = await nodes.WithDbAsync(db => db.Calls.AsNoTracking().SingleAsync(c => c.CallSid == call.CallSid));
            Assert.Equal("node-a", row.LeaseOwner);

            nodes.A.Kill(); // kill -9: no shutdown path runs, the lease simply stops being renewed
            var killed = DateTimeOffset.UtcNow;
            await onB.WaitUntilAsync(() => onB.Saw(call.CallSid, "failed"), TimeSpan.FromSeconds(30), "failed on node B");
            Assert.InRange(DateTimeOffset.UtcNow - killed, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        }
        var final = await nodes.WithDbAsync(db => db.Calls.AsNoTracking().SingleAsync(c => c.CallSid == call.CallSid));
        Assert.Equal((CallStatus.Failed, CallLeaseSweeper.ServerLost), (final.Status, final.FailureReason));
        Assert.NotNull(final.EndedAt);
    }

    [Fact]
    public async Task The_login_rate_limit_holds_across_two_server_processes()
    {
        await using var nodes = await TwoNodes.StartAsync(new() { ["LOGIN_RATE_LIMIT_PER_MINUTE"] = "4" });
        using var a = new HttpClient { BaseAddress = TwoNodes.Url(nodes.A) };
        using var b = new HttpClient { BaseAddress = TwoNodes.Url(nodes.B) };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
            statuses.Add((await (i % 2 == 0 ? a : b).PostAsJsonAsync("/auth/login", new { email = $"nobody{i}@example.com", password = "wrong-password" })).StatusCode);

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 4).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 6)), statuses);
    }

    [Fact]
    public async Task Two_nodes_starting_at_once_on_an_empty_database_both_start_and_seed_the_demo_data_once()
    {
        await using var nodes = await TwoNodes.StartAsync();

        Assert.False(nodes.A.HasExited || nodes.B.HasExited, "both nodes run");
        Assert.Equal((4, 60, 40, 30), await nodes.WithDbAsync(async db =>
            (await db.Users.CountAsync(), await db.Properties.CountAsync(), await db.Leads.CountAsync(), await db.Calls.CountAsync())));
        using var b = new HttpClient { BaseAddress = TwoNodes.Url(nodes.B) };
        Assert.Equal(HttpStatusCode.OK, (await b.PostAsJsonAsync("/auth/login", new { email = "admin@example.com", password = "password" })).StatusCode);
    }
}
