using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Voice.Live;

/// <summary>
/// Re-checks every open <c>/hubs/calls</c> connection against its user's row each
/// <see cref="AuthOptions.SessionRecheckInterval"/> (one query for all of them), the same check a request's token
/// gets. A revocation made on this node closes connections at once, one made on another node too when nodes share a
/// Redis (<see cref="SessionEndsAcrossNodes"/>); this catches the rest: another node without Redis, a message lost
/// while Redis was away, or a change made directly in the database.
/// </summary>
internal sealed class CallsHubSessionCheck(CallsHubListeners listeners, IServiceScopeFactory scopes, AuthOptions auth, TimeProvider time,
    ILogger<CallsHubSessionCheck> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(auth.SessionRecheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await CheckAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Hub session check failed; trying again at the next tick");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        var open = listeners.Open();
        if (open.Count == 0) return;
        var ids = open.Select(c => CallsHub.UserId(c.User) ?? 0).Distinct().ToList();
        Dictionary<int, SessionState> sessions;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            sessions = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(SessionState.OfUser)
                .ToDictionaryAsync(s => s.UserId, cancellationToken).ConfigureAwait(false);
        }
        foreach (var connection in open)
            if (connection.User is not { } user || CallsHub.UserId(user) is not { } id
                || !sessions.TryGetValue(id, out var session) || !session.Accepts(user))
                await listeners.CloseAsync(connection).ConfigureAwait(false);
    }
}
