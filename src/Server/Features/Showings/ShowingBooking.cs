using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Properties;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Showings;

public sealed record BookShowing(
    int LeadId, int PropertyId, DateTimeOffset StartsAt, TimeSpan Length, ShowingSource Source, string? Notes,
    int? CallId = null, int? CreatedByUserId = null);

/// <summary>Booked, or refused with the field at fault (400) or a conflict with another showing (409).</summary>
public abstract record BookingResult
{
    public sealed record Booked(Showing Showing) : BookingResult;
    public sealed record Invalid(string Field, string Message) : BookingResult;
    public sealed record Conflict(string Message) : BookingResult;
}

/// <summary>
/// The one place showings are booked, by staff through the API and by the voice agent's book_showing tool:
/// the lead and property exist, the property can be shown, the time is in the future, and the property has no
/// other scheduled showing overlapping it. The caller decides first whether the lead is one it may book for.
/// </summary>
public sealed class ShowingBooking(AppDbContext db, TimeProvider time)
{
    public static readonly TimeSpan DefaultLength = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxAdvance = TimeSpan.FromDays(365);

    // Check-then-insert must not interleave within this process (two callers grabbing the same slot);
    // the API and the voice agent share this server, so one lock covers both.
    private static readonly SemaphoreSlim BookingLock = new(1, 1);

    public async Task<BookingResult> BookAsync(BookShowing request, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var startsAt = request.StartsAt.ToUniversalTime();
        if (startsAt <= now) return new BookingResult.Invalid("starts_at", "starts_at must be in the future.");
        if (startsAt > now + MaxAdvance) return new BookingResult.Invalid("starts_at", "starts_at must be within a year.");
        if (request.Length <= TimeSpan.Zero || request.Length > TimeSpan.FromHours(8))
            return new BookingResult.Invalid("duration_minutes", "A showing lasts between 1 minute and 8 hours.");
        var endsAt = startsAt + request.Length;

        var lead = await db.Leads.AsNoTracking().Where(l => l.Id == request.LeadId)
            .Select(l => new { l.Id, l.AssignedAgentId, l.Status }).SingleOrDefaultAsync(ct);
        if (lead is null) return new BookingResult.Invalid("lead_id", $"No lead has id {request.LeadId}.");
        var property = await db.Properties.AsNoTracking().Where(p => p.Id == request.PropertyId)
            .Select(p => new { p.Id, p.Status, p.ListingAgentId }).SingleOrDefaultAsync(ct);
        if (property is null) return new BookingResult.Invalid("property_id", $"No property has id {request.PropertyId}.");
        if (property.Status is PropertyStatus.Sold or PropertyStatus.OffMarket)
            return new BookingResult.Invalid("property_id", "The property is not on the market.");

        await BookingLock.WaitAsync(ct);
        try
        {
            var clash = await db.Showings.AnyAsync(s => s.PropertyId == request.PropertyId && s.Status == ShowingStatus.Scheduled
                                                         && s.StartsAt < endsAt && s.EndsAt > startsAt, ct);
            if (clash) return new BookingResult.Conflict("The property already has a showing at that time.");

            var showing = new Showing
            {
                LeadId = lead.Id, PropertyId = property.Id,
                AgentId = lead.AssignedAgentId ?? request.CreatedByUserId ?? property.ListingAgentId,
                StartsAt = startsAt, EndsAt = endsAt, Status = ShowingStatus.Scheduled, Source = request.Source,
                Notes = request.Notes?.Trim(), CallId = request.CallId, CreatedByUserId = request.CreatedByUserId,
                CreatedAt = now, UpdatedAt = now,
            };
            db.Showings.Add(showing);
            // Booking a showing moves an earlier-stage lead along the pipeline.
            var tracked = await db.Leads.SingleAsync(l => l.Id == lead.Id, ct);
            if (tracked.Status is LeadStatus.New or LeadStatus.Contacted or LeadStatus.Qualified)
            {
                tracked.Status = LeadStatus.Showing;
                tracked.UpdatedAt = now;
                LeadQualification.Track(tracked, now);
            }
            await db.SaveChangesAsync(ct);
            return new BookingResult.Booked(showing);
        }
        finally
        {
            BookingLock.Release();
        }
    }
}
