using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace EstateVoice.Server.Features.Voice.Live;

/// <summary>
/// <c>/hubs/calls</c>: live call events (<c>callUpdated</c>, <c>transcript</c>, <c>toolCall</c>). Managers and
/// admins receive every call; an Agent only the calls assigned to them.
/// </summary>
[Authorize]
public sealed class CallsHub : Hub
{
    public const string Path = "/hubs/calls";
    public const string AllCallsGroup = "calls:all";

    public static string AgentGroup(int agentId) => $"calls:agent:{agentId}";

    public override async Task OnConnectedAsync()
    {
        var user = Context.User;
        if (user is not null && (user.IsInRole("Admin") || user.IsInRole("Manager")))
            await Groups.AddToGroupAsync(Context.ConnectionId, AllCallsGroup).ConfigureAwait(false);
        else if (UserId(user) is { } id)
            await Groups.AddToGroupAsync(Context.ConnectionId, AgentGroup(id)).ConfigureAwait(false);
        await base.OnConnectedAsync().ConfigureAwait(false);
    }

    internal static int? UserId(ClaimsPrincipal? user)
    {
        var raw = user?.FindFirstValue(ClaimTypes.NameIdentifier) ?? user?.FindFirstValue("sub");
        return int.TryParse(raw, out var id) ? id : null;
    }
}

internal sealed class SignalRCallEventPublisher(IHubContext<CallsHub> hub, ILogger<SignalRCallEventPublisher> logger) : ICallEventPublisher
{
    public void CallUpdated(int? agentId, CallUpdatedEvent e) => Send(agentId, "callUpdated", e);
    public void Transcript(int? agentId, TranscriptEvent e) => Send(agentId, "transcript", e);
    public void ToolCall(int? agentId, ToolCallEvent e) => Send(agentId, "toolCall", e);

    private void Send(int? agentId, string method, object payload)
    {
        IClientProxy clients = agentId is { } id
            ? hub.Clients.Groups(CallsHub.AllCallsGroup, CallsHub.AgentGroup(id))
            : hub.Clients.Group(CallsHub.AllCallsGroup);
        var task = clients.SendAsync(method, payload);
        if (!task.IsCompletedSuccessfully)
            _ = task.ContinueWith(t => logger.LogDebug(t.Exception, "Live event {Method} not delivered", method),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }
}
