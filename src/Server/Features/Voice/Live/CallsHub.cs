using System.Collections.Concurrent;
using System.Security.Claims;
using EstateVoice.Server.Features.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace EstateVoice.Server.Features.Voice.Live;

/// <summary>
/// <c>/hubs/calls</c>: live call events (<c>callUpdated</c>, <c>transcript</c>, <c>toolCall</c>) and each user's own
/// <c>notification</c>s. Managers and
/// admins receive every call; an Agent only the calls assigned to them. A connection lives only as long as its
/// user's session: see <see cref="CallsHubListeners"/>.
/// </summary>
[Authorize]
public sealed class CallsHub(CallsHubListeners listeners, MonitorsOnOtherNodes otherNodes) : Hub
{
    public const string Path = "/hubs/calls";
    public const string AllCallsGroup = "calls:all";

    public static string AgentGroup(int agentId) => $"calls:agent:{agentId}";

    /// <summary>Every connection of one user, whatever their role: their notifications.</summary>
    public static string UserGroup(int userId) => $"user:{userId}";

    public override async Task OnConnectedAsync()
    {
        var user = Context.User;
        if (user is not null && (user.IsInRole("Admin") || user.IsInRole("Manager")))
            await Groups.AddToGroupAsync(Context.ConnectionId, AllCallsGroup).ConfigureAwait(false);
        else if (UserId(user) is { } id)
            await Groups.AddToGroupAsync(Context.ConnectionId, AgentGroup(id)).ConfigureAwait(false);
        if (UserId(user) is { } userId)
            await Groups.AddToGroupAsync(Context.ConnectionId, UserGroup(userId)).ConfigureAwait(false);
        // Awaited: once the client's connection has started, every node knows someone is watching.
        if (listeners.Connected(Context)) await otherNodes.AnnounceAsync().ConfigureAwait(false);
        await base.OnConnectedAsync().ConfigureAwait(false);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        listeners.Disconnected(Context);
        return base.OnDisconnectedAsync(exception);
    }

    internal static int? UserId(ClaimsPrincipal? user)
    {
        var raw = user?.FindFirstValue(ClaimTypes.NameIdentifier) ?? user?.FindFirstValue("sub");
        return int.TryParse(raw, out var id) ? id : null;
    }
}

/// <summary>
/// The monitors connected to this node. With none, a call update is not worth a database read. When a user's
/// sessions end (deactivated, new password, new role) their connections are taken out of every group — so no
/// later event reaches them — and closed, at once on this node (<see cref="ISessionEndListener"/>) and within
/// <see cref="AuthOptions.SessionRecheckInterval"/> for a change made elsewhere (<see cref="CallsHubSessionCheck"/>).
/// </summary>
public sealed class CallsHubListeners(IServiceProvider services, ILogger<CallsHubListeners> logger) : ISessionEndListener
{
    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new();
    private int _count;

    public bool Any => Volatile.Read(ref _count) > 0;

    /// <returns>Whether it is this node's only monitor (the first since none was connected).</returns>
    internal bool Connected(HubCallerContext connection) =>
        _connections.TryAdd(connection.ConnectionId, connection) && Interlocked.Increment(ref _count) == 1;

    internal void Disconnected(HubCallerContext connection)
    {
        if (_connections.TryRemove(connection.ConnectionId, out _)) Interlocked.Decrement(ref _count);
    }

    internal IReadOnlyList<HubCallerContext> Open() => [.. _connections.Values];

    public async Task SessionsEndedAsync(int userId)
    {
        foreach (var connection in Open())
            if (CallsHub.UserId(connection.User) == userId)
                await CloseAsync(connection).ConfigureAwait(false);
    }

    internal async Task CloseAsync(HubCallerContext connection)
    {
        // Out of the groups first: Abort only starts the close, and a call event sent meanwhile must not get through.
        var groups = services.GetRequiredService<IHubContext<CallsHub>>().Groups;
        await groups.RemoveFromGroupAsync(connection.ConnectionId, CallsHub.AllCallsGroup).ConfigureAwait(false);
        if (CallsHub.UserId(connection.User) is { } id)
        {
            await groups.RemoveFromGroupAsync(connection.ConnectionId, CallsHub.AgentGroup(id)).ConfigureAwait(false);
            await groups.RemoveFromGroupAsync(connection.ConnectionId, CallsHub.UserGroup(id)).ConfigureAwait(false);
        }
        logger.LogInformation("Closing hub connection {ConnectionId}: its user's session ended", connection.ConnectionId);
        connection.Abort();
    }
}
