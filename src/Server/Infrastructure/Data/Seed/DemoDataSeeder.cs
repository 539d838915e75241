using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Infrastructure.Configuration;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Infrastructure.Data.Seed;

/// <summary>
/// Seeds the demo users (when the database has no users) and the demo CRM data (when it has no properties, leads
/// or calls) if SEED_DEMO_DATA is on; each happens once.
/// </summary>
public sealed class DemoDataSeeder(AppDbContext db, DemoOptions demo, IPasswordHasher<User> hasher, TimeProvider time, ILogger<DemoDataSeeder> logger)
{
    public static readonly (string Email, string Name, UserRole Role, string Phone)[] DemoUsers =
    [
        ("admin@example.com", "Alex Admin", UserRole.Admin, "+14155550100"),
        ("manager@example.com", "Morgan Manager", UserRole.Manager, "+14155550101"),
        ("agent@example.com", "Avery Agent", UserRole.Agent, "+14155550102"),
        ("agent2@example.com", "Jordan Agent", UserRole.Agent, "+14155550103"),
    ];

    /// <summary>
    /// Key of the PostgreSQL advisory lock the seeding holds: nodes starting at once on an empty database take turns,
    /// so the second finds the first one's rows instead of inserting the same demo users again (and exiting on the
    /// unique e-mail index). A 64-bit constant of its own ("EVSEED" in ASCII), apart from EF's migration lock.
    /// </summary>
    public const long SeedLockKey = 0x4556_5345_4544;

    public async Task SeedIfEnabledAsync(CancellationToken cancellationToken)
    {
        if (!demo.Enabled) return;
        // Check and insert in one transaction under the lock (SQLite: the transaction's write lock, one writer per file).
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear(); // a retried attempt starts from nothing
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (db.Provider == DatabaseProvider.Postgres)
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({SeedLockKey})", cancellationToken);
            await SeedAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
    }

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!await db.Users.AnyAsync(cancellationToken)) await SeedUsersAsync(now, cancellationToken);
        if (await DemoCrmData.IsEmptyAsync(db, cancellationToken))
        {
            var (properties, leads, calls, showings) = await DemoCrmData.SeedAsync(db, now, cancellationToken);
            logger.LogInformation("Seeded {Properties} properties, {Leads} leads, {Calls} calls and {Showings} showings", properties, leads, calls, showings);
        }
    }

    private async Task SeedUsersAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var (email, name, role, phone) in DemoUsers)
        {
            var user = new User { Email = email, Name = name, Role = role, Phone = phone, CreatedAt = now, UpdatedAt = now };
            user.PasswordHash = hasher.HashPassword(user, demo.Password);
            db.Users.Add(user);
        }
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Seeded {Count} demo users", DemoUsers.Length);
    }
}
