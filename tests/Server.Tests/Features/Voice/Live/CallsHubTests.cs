using System.Collections.Concurrent;
using System.Text.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Voice.Live;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using Microsoft.AspNetCore.SignalR.Client;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice.Live;

/// <summary><c>/hubs/calls</c> through the real SignalR client, signed in with <c>access_token</c> like the web app.</summary>
public sealed class CallsHubTests
{
    private sealed class Listener : IAsyncDisposable
    {
        public required HubConnection Connection { get; init; }
        public ConcurrentQueue<(string Method, JsonElement Payload)> Events { get; } = new();

        /// <summary>The events about one call; for <c>callUpdated</c>, the call object inside <c>{ call }</c>.</summary>
        public IEnumerable<JsonElement> Of(string method, int callId) =>
            Events.Where(e => e.Method == method)
                .Select(e => method == "callUpdated" ? e.Payload.GetProperty("call") : e.Payload)
                .Where(p => p.GetProperty(method == "callUpdated" ? "id" : "call_id").GetInt32() == callId);

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    private static async Task<Listener> ListenAsync(VoiceAppFactory app, string? token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseUri, CallsHub.Path), o => o.AccessTokenProvider = () => Task.FromResult(token))
            .Build();
        var listener = new Listener { Connection = connection };
        foreach (var method in new[] { "callUpdated", "transcript", "toolCall" })
            connection.On<JsonElement>(method, payload => listener.Events.Enqueue((method, payload)));
        await connection.StartAsync();
        return listener;
    }

    [Fact]
    public async Task An_agent_hears_only_their_own_calls_a_manager_all_and_transcripts_arrive_during_the_call()
    {
        var stt = new ScriptedSpeechToText("I'm looking to buy in Austin.");
        await using var app = new VoiceAppFactory { Stt = stt, Tts = new ToneTextToSpeech(msPerWord: 10) };
        await VoiceListings.SeedAsync(app);
        var (mine, other, manager) = (await app.CreateUserAsync(UserRole.Agent), await app.CreateUserAsync(UserRole.Agent), await app.CreateUserAsync(UserRole.Manager));
        await using var agentListener = await ListenAsync(app, await app.AccessTokenAsync(mine));
        await using var otherListener = await ListenAsync(app, await app.AccessTokenAsync(other));
        await using var managerListener = await ListenAsync(app, await app.AccessTokenAsync(manager));

        var (caller, callId) = await app.CallAsync(agentId: mine.Id);
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("buyer-intent"));
            // Still on the line: the caller's words and the agent's reply have reached both listeners live.
            foreach (var listener in new[] { agentListener, managerListener })
            {
                await caller.WaitUntilAsync(() => listener.Of("transcript", callId).Any(t => t.GetProperty("speaker").GetString() == "caller"
                                                                                                && t.GetProperty("is_final").GetBoolean()
                                                                                                && t.GetProperty("text").GetString() == "I'm looking to buy in Austin."));
                await caller.WaitUntilAsync(() => listener.Of("transcript", callId).Any(t => t.GetProperty("speaker").GetString() == "agent"));
            }
            Assert.False(await app.CallEndedAsync(callId));
            await caller.StopAsync();
            await caller.WaitUntilAsync(() => agentListener.Of("callUpdated", callId).Any(e => e.GetProperty("status").GetString() == "completed")
                                               && managerListener.Of("callUpdated", callId).Any(e => e.GetProperty("status").GetString() == "completed"));
            // Then the post-call analysis, pushed the same way once it is stored.
            await caller.WaitUntilAsync(() => managerListener.Of("callUpdated", callId).Any(e => AnalysisStatus(e) == "done"));
        }

        // callUpdated is { call }: exactly what GET /calls/{id} returns, with the REST status enum (in_progress, not in-progress).
        Assert.All(agentListener.Events.Where(e => e.Method == "callUpdated"), e => Assert.Equal(["call"], e.Payload.EnumerateObject().Select(p => p.Name)));
        Assert.Equal(["in_progress", "completed"], agentListener.Of("callUpdated", callId).Select(e => e.GetProperty("status").GetString()).Distinct());
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        http.DefaultRequestHeaders.Authorization = new("Bearer", await app.AccessTokenAsync(manager));
        var rest = JsonDocument.Parse(await http.GetStringAsync($"/calls/{callId}")).RootElement;
        var pushed = managerListener.Of("callUpdated", callId).Last();
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(rest.GetRawText()), System.Text.Json.Nodes.JsonNode.Parse(pushed.GetRawText())), pushed.GetRawText());
        Assert.Equal(("information_provided", mine.Id), (pushed.GetProperty("outcome").GetString(), pushed.GetProperty("agent_id").GetInt32()));
        Assert.Contains(managerListener.Of("toolCall", callId), e => e.GetProperty("name").GetString() == "update_lead");
        var sequences = managerListener.Of("transcript", callId).Where(t => t.GetProperty("is_final").GetBoolean()).Select(t => t.GetProperty("sequence").GetInt32()).ToArray();
        Assert.Equal(sequences.Order(), sequences);
        // The other agent's connection was sent nothing about this call, not merely late: a call of their own comes
        // through the same ordered connection after it, so anything sent about the first call would be there before.
        var (theirs, theirCallId) = await app.CallAsync(agentId: other.Id);
        await using (theirs)
            await theirs.WaitUntilAsync(() => otherListener.Of("callUpdated", theirCallId).Any());
        Assert.Empty(otherListener.Of("callUpdated", callId));
        Assert.Empty(otherListener.Of("transcript", callId));
        Assert.Empty(otherListener.Of("toolCall", callId));
    }

    [Fact]
    public async Task A_caller_hanging_up_mid_reply_leaves_the_monitor_and_the_active_count_at_once()
    {
        await using var app = new VoiceAppFactory { Tts = new ToneTextToSpeech(msPerWord: 150) };
        var manager = await app.CreateUserAsync(UserRole.Manager);
        var token = await app.AccessTokenAsync(manager);
        await using var listener = await ListenAsync(app, token);
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        async Task<int> ActiveNowAsync() => // what the dashboard's "Active now" and the live monitor's list ask
            JsonDocument.Parse(await http.GetStringAsync("/calls/?status=in_progress&page_size=1")).RootElement.GetProperty("total").GetInt32();

        var (caller, callId) = await app.CallAsync();
        await caller.WaitUntilAsync(() => caller.Media.Count >= 10); // the greeting is playing
        Assert.Equal(1, await ActiveNowAsync());
        await caller.DisposeAsync(); // hangs up mid-greeting

        await caller.WaitUntilAsync(() => listener.Of("callUpdated", callId).Any(e => e.GetProperty("status").GetString() == "completed"), timeoutMs: 5000);
        Assert.Equal(0, await ActiveNowAsync());
        var final = listener.Of("callUpdated", callId).Last();
        Assert.True(!final.TryGetProperty("failure_reason", out var reason) || reason.ValueKind == JsonValueKind.Null, final.GetRawText());
    }

    private static string? AnalysisStatus(JsonElement call) =>
        call.TryGetProperty("analysis", out var analysis) && analysis.ValueKind == JsonValueKind.Object ? analysis.GetProperty("status").GetString() : null;

    [Fact]
    public async Task The_hub_refuses_a_connection_without_a_token()
    {
        await using var app = new VoiceAppFactory();
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => ListenAsync(app, null));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
    }
}
