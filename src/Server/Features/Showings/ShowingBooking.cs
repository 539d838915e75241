using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Notifications;
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
public sealed class ShowingBooking(AppDbContext db, TimeProvider time, PropertyBookingTurns turns, INotifier notifier)
{
    public static readonly TimeSpan DefaultLength = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxAdvance = TimeSpan.FromDays(365);

    /// <summary>The clash check's tag (a SQL comment): names the query in logs and lets tests find it.</summary>
    public const string ClashCheckTag = "showing clash check";

    public async Task<BookingResult> BookAsync(BookShowing request, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var startsAt = request.StartsAt.ToUniversalTime();
        if (startsAt <= now) return new BookingResult.Invalid("starts_at", "starts_at must be in the future.");
        if (startsAt > now + MaxAdvance) return new BookingResult.Invalid("starts_at", "starts_at must be within a year.");
        if (request.Length <= TimeSpan.Zero || request.Length > TimeSpan.FromHours(8))
            return new BookingResult.Invalid("duration_minutes", "A showing lasts between 1 minute and 8 hours.");
        var endsAt = startsAt + request.Length;

        // Read before the property's turn: only the clash check and the insert need to be one step.
        var lead = await db.Leads.SingleOrDefaultAsync(l => l.Id == request.LeadId, ct);
        if (lead is null) return new BookingResult.Invalid("lead_id", $"No lead has id {request.LeadId}.");
        var property = await db.Properties.AsNoTracking().Where(p => p.Id == request.PropertyId)
            .Select(p => new { p.Id, p.Status, p.ListingAgentId, p.Address }).SingleOrDefaultAsync(ct);
        if (property is null) return new BookingResult.Invalid("property_id", $"No property has id {request.PropertyId}.");
        if (property.Status is PropertyStatus.Sold or PropertyStatus.OffMarket)
            return new BookingResult.Invalid("property_id", "The property is not on the market.");

        var showing = new Showing
        {
            LeadId = lead.Id, PropertyId = property.Id,
            AgentId = lead.AssignedAgentId ?? request.CreatedByUserId ?? property.ListingAgentId,
            StartsAt = startsAt, EndsAt = endsAt, Status = ShowingStatus.Scheduled, Source = request.Source,
            Notes = request.Notes?.Trim(), CallId = request.CallId, CreatedByUserId = request.CreatedByUserId,
            CreatedAt = now, UpdatedAt = now,
        };
        // PostgreSQL retries a transient failure (EnableRetryOnFailure) by running the whole turn again, so every step
        // in it may run twice (adding the same showing, setting the same lead fields) and the tracked changes are
        // accepted only once the turn has committed (EF's "execution strategies and transactions" pattern).
        var result = await db.Database.CreateExecutionStrategy().ExecuteAsync(async cancel =>
        {
            await using var turn = await turns.TakeAsync(db, property.Id, cancel);
            var clash = await db.Showings.TagWith(ClashCheckTag)
                .AnyAsync(s => s.PropertyId == property.Id && s.Status == ShowingStatus.Scheduled
                               && s.StartsAt < endsAt && s.EndsAt > startsAt, cancel);
            if (clash) return new BookingResult.Conflict("The property already has a showing at that time.");

            db.Showings.Add(showing);
            // Booking a showing moves an earlier-stage lead along the pipeline.
            if (lead.Status is LeadStatus.New or LeadStatus.Contacted or LeadStatus.Qualified)
            {
                lead.Status = LeadStatus.Showing;
                lead.UpdatedAt = now;
                LeadQualification.Track(lead, now);
            }
            await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancel);
            await turn.CompleteAsync(cancel);
            return (BookingResult)new BookingResult.Booked(showing);
        }, ct);
        if (result is not BookingResult.Booked) return result;
        db.ChangeTracker.AcceptAllChanges();
        // The showing's agent hears of it, unless they booked it themselves.
        if (showing.AgentId is { } agentId && agentId != request.CreatedByUserId)
            await notifier.PublishAsync(NotificationMessages.ShowingBooked(agentId, lead.Id, lead.Name, property.Address, startsAt), ct);
        return result;
    }
}
