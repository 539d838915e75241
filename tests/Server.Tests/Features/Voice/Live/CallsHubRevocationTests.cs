using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Voice.Live;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Voice.Live;

/// <summary>A revoked user's open <c>/hubs/calls</c> connection is closed within seconds and hears nothing more.</summary>
public sealed class CallsHubRevocationTests
{
    private sealed class Listener(HubConnection connection) : IAsyncDisposable
    {
        public HubConnection Connection { get; } = connection;
        public ConcurrentQueue<(string Method, JsonElement Payload)> Events { get; } = new();
        public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool HeardCallUpdate(int callId) => Events.Any(e => e.Method == "callUpdated" && e.Payload.GetProperty("call").GetProperty("id").GetInt32() == callId);
        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    private static async Task<Listener> ListenAsync(VoiceAppFactory app, User user)
    {
        var token = await app.AccessTokenAsync(user);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseUri, CallsHub.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var listener = new Listener(connection);
        foreach (var method in new[] { "callUpdated", "transcript", "toolCall" })
            connection.On<JsonElement>(method, payload => listener.Events.Enqueue((method, payload)));
        connection.Closed += _ => { listener.Closed.TrySetResult(); return Task.CompletedTask; };
        await connection.StartAsync();
        return listener;
    }

    private static async Task<HttpClient> AdminAsync(VoiceAppFactory app)
    {
        var http = new HttpClient { BaseAddress = app.BaseUri };
        http.DefaultRequestHeaders.Authorization = new("Bearer", await app.AccessTokenAsync(await app.CreateUserAsync(UserRole.Admin)));
        return http;
    }

    [Fact]
    public async Task Deactivating_an_agent_closes_their_hub_connection_and_they_hear_no_later_calls()
    {
        await using var app = new VoiceAppFactory();
        var (agent, manager) = (await app.CreateUserAsync(UserRole.Agent), await app.CreateUserAsync(UserRole.Manager));
        await using var agentListener = await ListenAsync(app, agent);
        await using var managerListener = await ListenAsync(app, manager);
        using var admin = await AdminAsync(app);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/admin/users/{agent.Id}/deactivate", null)).StatusCode);

        await agentListener.Closed.Task.WaitAsync(TimeSpan.FromSeconds(3));
        // A call for that agent afterwards reaches the manager (so events were sent) and not the deactivated agent.
        var (caller, callId) = await app.CallAsync(agentId: agent.Id);
        await using (caller)
            await caller.WaitUntilAsync(() => managerListener.HeardCallUpdate(callId));
        Assert.Empty(agentListener.Events);
        Assert.Equal(HubConnectionState.Connected, managerListener.Connection.State);
    }

    [Fact]
    public async Task A_password_change_closes_the_users_hub_connections()
    {
        await using var app = new VoiceAppFactory();
        var manager = await app.CreateUserAsync(UserRole.Manager);
        await using var first = await ListenAsync(app, manager);
        await using var second = await ListenAsync(app, manager);
        using var admin = await AdminAsync(app);

        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync($"/admin/users/{manager.Id}", new { password = "a-new-password-1" })).StatusCode);

        await Task.WhenAll(first.Closed.Task, second.Closed.Task).WaitAsync(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_revocation_made_elsewhere_closes_the_connection_at_the_next_periodic_check()
    {
        // Another node (or an operator in SQL) deactivated the user: this node was not told, its periodic check finds it.
        await using var app = new VoiceAppFactory { Settings = { ["SESSION_RECHECK_SECONDS"] = "1" } };
        var (agent, other) = (await app.CreateUserAsync(UserRole.Agent), await app.CreateUserAsync(UserRole.Agent));
        await using var revoked = await ListenAsync(app, agent);
        await using var untouched = await ListenAsync(app, other);

        await app.WithDbAsync(db => db.Users.Where(u => u.Id == agent.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false)));

        await revoked.Closed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(1500); // a further check has run: the other user's connection is still open
        Assert.Equal(HubConnectionState.Connected, untouched.Connection.State);
    }
}
