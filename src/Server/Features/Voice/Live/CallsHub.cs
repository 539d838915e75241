using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace EstateVoice.Server.Features.Voice.Live;

/// <summary>
/// <c>/hubs/calls</c>: live call events (<c>callUpdated</c>, <c>transcript</c>, <c>toolCall</c>). Managers and
/// admins receive every call; an Agent only the calls assigned to them.
/// </summary>
[Authorize]
public sealed class CallsHub(CallsHubListeners listeners) : Hub
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
        listeners.Connected();
        await base.OnConnectedAsync().ConfigureAwait(false);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        listeners.Disconnected();
        return base.OnDisconnectedAsync(exception);
    }

    internal static int? UserId(ClaimsPrincipal? user)
    {
        var raw = user?.FindFirstValue(ClaimTypes.NameIdentifier) ?? user?.FindFirstValue("sub");
        return int.TryParse(raw, out var id) ? id : null;
    }
}

/// <summary>How many monitors are connected (this node): with none, a call update is not worth a database read.</summary>
public sealed class CallsHubListeners
{
    private int _count;

    public bool Any => Volatile.Read(ref _count) > 0;
    internal void Connected() => Interlocked.Increment(ref _count);
    internal void Disconnected() => Interlocked.Decrement(ref _count);
}
