using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.Server.Features.Notifications;
using EstateVoice.Server.Features.Voice.Live;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace EstateVoice.Server.Tests.Features.Notifications;

/// <summary>
/// The notification centre's live feed end to end, on the real server process (<see cref="ServerNode"/>: a real
/// Kestrel and a real WebSocket handshake, which the in-process test server does not give SignalR): an agent
/// connected to the hub receives the row the server pushes when a manager assigns a lead to them.
/// </summary>
public sealed class NotificationLivePushTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static async Task<(string Token, int UserId)> LoginAsync(HttpClient http, string email)
    {
        var response = await http.PostAsJsonAsync("/auth/login", new { email, password = "password" });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("access_token").GetString()!, body.GetProperty("user").GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task An_agent_connected_to_the_hub_receives_the_notification_when_a_lead_is_assigned_to_them()
    {
        // Demo data gives the users (password "password") and leads; SQLite in the node's own data directory.
        await using var node = await ServerNode.StartAsync(new Dictionary<string, string> { ["SEED_DEMO_DATA"] = "true" });
        using var http = new HttpClient { BaseAddress = node.BaseUrl, Timeout = Patience };
        var (agentToken, agentId) = await LoginAsync(http, "agent@example.com");
        var (managerToken, _) = await LoginAsync(http, "manager@example.com");

        var received = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(node.BaseUrl, CallsHub.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(agentToken))
            .Build();
        connection.On<JsonElement>(Notifier.HubMethod, payload => received.TrySetResult(payload));
        await connection.StartAsync();

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", managerToken);
        var leads = await http.GetFromJsonAsync<JsonElement>("/leads?page_size=100");
        var lead = leads.GetProperty("items").EnumerateArray().First(l =>
            l.GetProperty("assigned_agent_id").ValueKind == JsonValueKind.Null || l.GetProperty("assigned_agent_id").GetInt32() != agentId);
        var assign = await http.PostAsJsonAsync($"/leads/{lead.GetProperty("id").GetInt32()}/assign", new { agent_id = agentId });
        Assert.Equal(HttpStatusCode.OK, assign.StatusCode);

        // The push, not a poll: the hub message itself, within a bounded wait.
        var pushed = await received.Task.WaitAsync(Patience);
        Assert.Equal("lead_assigned", pushed.GetProperty("kind").GetString());
        Assert.Equal($"New lead assigned to you: {lead.GetProperty("name").GetString()}", pushed.GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, pushed.GetProperty("read_at").ValueKind);

        // It is the stored row: the agent's list holds it under the same id.
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", agentToken);
        var mine = await http.GetFromJsonAsync<JsonElement>("/notifications");
        Assert.Contains(mine.GetProperty("items").EnumerateArray(), n => n.GetProperty("id").GetInt64() == pushed.GetProperty("id").GetInt64());
    }
}
