using EstateVoice.Server.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Auth;

/// <summary>The user on success; otherwise refused, or asked to wait <see cref="RetryAfter"/> (<see cref="LoginThrottle"/>).</summary>
public sealed record LoginResult(User? User, TimeSpan? RetryAfter);

/// <summary>
/// Checks credentials under <see cref="LoginThrottle"/>. Unknown user, wrong password and deactivated account give the
/// same answer; every outcome, a throttled one included, costs one password check, so timing tells nothing either.
/// </summary>
public sealed class LoginService(AppDbContext db, IPasswordHasher<User> hasher, LoginThrottle throttle, ILogger<LoginService> logger)
{
    private static readonly User Nobody = new() { Email = "", Name = "" };
    private static readonly string DummyHash = new PasswordHasher<User>().HashPassword(Nobody, Guid.NewGuid().ToString());

    /// <param name="deviceNonce">From <see cref="TrustedDevices.Recognise"/>: this browser's attempts have a count of their own.</param>
    public async Task<LoginResult> AuthenticateAsync(string normalizedEmail, string password, string? deviceNonce, CancellationToken cancellationToken)
    {
        var key = LoginThrottle.KeyFor(normalizedEmail, deviceNonce);
        if (await throttle.TryAdmitAsync(key, cancellationToken) is { } wait)
        {
            SpendAPasswordCheck(password);
            logger.LogInformation("Login throttled for {Wait} ({Source})", wait, deviceNonce is null ? "untrusted client" : "trusted device");
            return new LoginResult(null, wait);
        }

        var user = await db.Users.SingleOrDefaultAsync(u => u.Email == normalizedEmail, cancellationToken);
        if (user is null || !user.IsActive)
        {
            SpendAPasswordCheck(password);
            logger.LogInformation("Login refused: unknown or inactive account");
            return new LoginResult(null, null);
        }
        var result = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            logger.LogInformation("Login refused: wrong password for user {UserId}", user.Id);
            return new LoginResult(null, null); // already counted when admitted
        }

        await throttle.ClearAsync(key, cancellationToken);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
            await db.SaveChangesAsync(cancellationToken);
        }
        return new LoginResult(user, null);
    }

    /// <summary>Verifying against a real hash keeps the answer's timing from telling which path was taken.</summary>
    private void SpendAPasswordCheck(string password) => hasher.VerifyHashedPassword(Nobody, DummyHash, password);

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}
