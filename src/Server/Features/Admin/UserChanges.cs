using System.Security.Claims;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Admin;

/// <summary>
/// Changes a user. Two guards keep the team administrable: nobody deactivates themselves, and the last active Admin
/// cannot be deactivated or demoted — also when two admins remove each other at the same moment: the check and the
/// change run in one transaction that first locks the active admins' rows (PostgreSQL; on SQLite the transaction
/// already excludes every other writer), so the second change sees the first and is refused.
/// A password, role or active change rotates the user's security stamp, ending their earlier sessions.
/// </summary>
public sealed class UserChanges(AppDbContext db, IPasswordHasher<User> hasher, TimeProvider time, SessionEnds sessionEnds)
{
    public async Task<Results<Ok<UserResponse>, ProblemHttpResult>> UpdateAsync(int id, UpdateUserRequest request, ClaimsPrincipal me, CancellationToken ct)
    {
        if (request.IsActive == false && id == me.GetUserId())
            return Problems.Conflict("You cannot deactivate your own account.");
        var existing = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, ct);
        if (existing is null) return Problems.NotFound("User");
        // Hashed before the transaction: ~100 ms that must not hold the admins' locks (or SQLite's single writer).
        var passwordHash = request.Password is null ? null : hasher.HashPassword(existing, request.Password);

        var (result, sessionsEnded) = await db.Database.CreateExecutionStrategy().ExecuteAsync(
            attempt => ApplyAsync(id, request, passwordHash, attempt), ct);
        if (sessionsEnded) await sessionEnds.AnnounceAsync(id);
        return result;
    }

    private async Task<(Results<Ok<UserResponse>, ProblemHttpResult>, bool SessionsEnded)> ApplyAsync(
        int id, UpdateUserRequest request, string? passwordHash, CancellationToken ct)
    {
        db.ChangeTracker.Clear(); // a retried attempt starts from the database, not from the failed one's entities
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await LockActiveAdminsAsync(ct);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return (Problems.NotFound("User"), false);
        var role = request.Role ?? user.Role;
        var isActive = request.IsActive ?? user.IsActive;
        var losesAdmin = user.Role == UserRole.Admin && user.IsActive && (!isActive || role != UserRole.Admin);
        if (losesAdmin && !await db.Users.AnyAsync(u => u.Id != id && u.Role == UserRole.Admin && u.IsActive, ct))
            return (Problems.Conflict("This is the last active admin; make someone else an admin first."), false);

        var endsSessions = SecurityStamps.EndsSessions(user, role, isActive, passwordHash is not null);
        if (request.Name is not null) user.Name = request.Name.Trim();
        if (request.Phone is not null) user.Phone = request.Phone;
        (user.Role, user.IsActive) = (role, isActive);
        if (passwordHash is not null) user.PasswordHash = passwordHash;
        if (endsSessions) user.SecurityStamp = SecurityStamps.New();
        user.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (TypedResults.Ok(UserResponse.From(user)), endsSessions);
    }

    /// <summary>
    /// PostgreSQL: READ COMMITTED lets two transactions each see the other admin still active (write skew). Locking
    /// the active admins' rows, in id order so two lockers cannot deadlock, makes the second wait for the first and
    /// then read its outcome. SQLite needs nothing: its transaction holds the database's single write lock.
    /// </summary>
    private Task LockActiveAdminsAsync(CancellationToken ct) =>
        db.Provider == DatabaseProvider.Postgres
            ? db.Database.ExecuteSqlRawAsync(
                """SELECT "Id" FROM "Users" WHERE "Role" = 'Admin' AND "IsActive" ORDER BY "Id" FOR UPDATE""", ct)
            : Task.CompletedTask;
}
