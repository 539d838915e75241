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

    public async Task SeedIfEnabledAsync(CancellationToken cancellationToken)
    {
        if (!demo.Enabled) return;
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
