using System.Linq.Expressions;
using System.Security.Claims;
using System.Security.Cryptography;
using EstateVoice.Server.Infrastructure.Redis;

namespace EstateVoice.Server.Features.Auth;

public static class SecurityStamps
{
    public const int Length = 32;

    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Length / 2));

    /// <summary>
    /// Changes that must end the user's earlier sessions: a new password (the old one may be known to someone else),
    /// deactivation (and reactivation, so tokens from before it do not come back to life), and a role change (a
    /// demoted manager's open hub connection would otherwise keep receiving every call). Name and phone do not.
    /// </summary>
    public static bool EndsSessions(User before, UserRole role, bool isActive, bool passwordChanged) =>
        passwordChanged || before.Role != role || before.IsActive != isActive;
}

/// <summary>
/// The columns a token is checked against, on every request and by long-lived connections: it stays valid only while
/// its user is active with the role and security stamp it was issued with. A token without a stamp (issued before
/// stamps existed) is refused.
/// </summary>
public sealed record SessionState(int UserId, bool IsActive, UserRole Role, string SecurityStamp)
{
    public static readonly Expression<Func<User, SessionState>> OfUser = u => new SessionState(u.Id, u.IsActive, u.Role, u.SecurityStamp);

    public bool Accepts(ClaimsPrincipal principal) =>
        IsActive && Role == principal.GetRole() && principal.FindFirstValue(CurrentUser.StampClaim) == SecurityStamp;
}

/// <summary>Holders of long-lived connections (the calls hub) close a user's connections when told their sessions ended.</summary>
public interface ISessionEndListener
{
    Task SessionsEndedAsync(int userId);
}

/// <summary>
/// Tells every <see cref="ISessionEndListener"/> on this node, and — when nodes share a Redis — every other node
/// through <see cref="SessionEndsAcrossNodes"/>. Without Redis other nodes find out at their periodic check.
/// </summary>
public sealed class SessionEnds(IEnumerable<ISessionEndListener> listeners, ILogger<SessionEnds> logger, RedisNode? redis = null)
{
    public async Task AnnounceAsync(int userId)
    {
        logger.LogInformation("Sessions of user {UserId} ended", userId);
        await EndHereAsync(userId).ConfigureAwait(false);
        if (redis is not null) await SessionEndsAcrossNodes.PublishAsync(redis, userId, logger).ConfigureAwait(false);
    }

    internal async Task EndHereAsync(int userId)
    {
        foreach (var listener in listeners)
            await listener.SessionsEndedAsync(userId).ConfigureAwait(false);
    }
}
