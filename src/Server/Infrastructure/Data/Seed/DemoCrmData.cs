using EstateVoice.Server.Features.Auth;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Infrastructure.Data.Seed;

/// <summary>
/// The demo CRM: listings, leads, past calls with turns, showings. Deterministic (fixed random seed) and relative
/// to the clock, so every fresh `make run` shows the same team with recent activity.
/// </summary>
internal static class DemoCrmData
{
    private const int RandomSeed = 2026;

    public static async Task<(int Properties, int Leads, int Calls, int Showings)> SeedAsync(AppDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var random = new Random(RandomSeed);
        var agentIds = await db.Users.Where(u => u.Role == UserRole.Agent && u.IsActive).OrderBy(u => u.Id).Select(u => u.Id).ToArrayAsync(ct);

        var properties = DemoProperties.Create(random, now, agentIds);
        db.Properties.AddRange(properties);
        var leads = DemoLeads.Create(random, now, agentIds);
        db.Leads.AddRange(leads);
        await db.SaveChangesAsync(ct);   // ids for the calls and showings below

        var calls = DemoCalls.Create(random, now, leads, properties);
        db.Calls.AddRange(calls);
        var showings = DemoShowings.Create(random, now, leads, properties);
        db.Showings.AddRange(showings);
        await db.SaveChangesAsync(ct);
        return (properties.Count, leads.Count, calls.Count, showings.Count);
    }

    /// <summary>Only into an empty CRM: demo rows never mix with real ones.</summary>
    public static async Task<bool> IsEmptyAsync(AppDbContext db, CancellationToken ct) =>
        !await db.Properties.AnyAsync(ct) && !await db.Leads.AnyAsync(ct) && !await db.Calls.AnyAsync(ct);
}
