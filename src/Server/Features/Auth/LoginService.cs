using EstateVoice.Server.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Auth;

/// <summary>Checks credentials with lockout; unknown user, wrong password and locked account look the same to the caller.</summary>
public sealed class LoginService(AppDbContext db, IPasswordHasher<User> hasher, AuthOptions options, TimeProvider time, ILogger<LoginService> logger)
{
    // Verifying against a real hash for unknown emails keeps response time from revealing which emails exist.
    private static readonly string DummyHash = new PasswordHasher<User>().HashPassword(new User { Email = "", Name = "" }, Guid.NewGuid().ToString());

    public async Task<User?> AuthenticateAsync(string email, string password, CancellationToken cancellationToken)
    {
        var normalized = NormalizeEmail(email);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        if (user is null || !user.IsActive)
        {
            hasher.VerifyHashedPassword(new User { Email = "", Name = "" }, DummyHash, password);
            logger.LogInformation("Login refused: unknown or inactive account");
            return null;
        }
        var now = time.GetUtcNow();
        if (user.LockoutEnd is { } end && end > now)
        {
            logger.LogWarning("Login refused: user {UserId} is locked out until {LockoutEnd}", user.Id, end);
            return null;
        }

        var result = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            user.FailedLoginCount++;
            if (user.FailedLoginCount >= options.MaxFailedLogins)
            {
                user.LockoutEnd = now + options.LockoutDuration;
                user.FailedLoginCount = 0;
                logger.LogWarning("User {UserId} locked out after {Max} failed logins", user.Id, options.MaxFailedLogins);
            }
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
            user.PasswordHash = hasher.HashPassword(user, password);
        user.FailedLoginCount = 0;
        user.LockoutEnd = null;
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}
