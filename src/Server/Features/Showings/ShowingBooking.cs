using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Notifications;
using EstateVoice.Server.Features.Properties;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Showings;

public sealed record BookShowing(
    int LeadId, int PropertyId, DateTimeOffset StartsAt, TimeSpan Length, ShowingSource Source, string? Notes,
    int? CallId = null, int? CreatedByUserId = null);

/// <summary>Booked, or refused with the field at fault (400) or a conflict with another showing or the agent's hours (409).</summary>
public abstract record BookingResult
{
    public sealed record Booked(Showing Showing) : BookingResult;
    public sealed record Invalid(string Field, string Message) : BookingResult;
    public sealed record Conflict(string Message, int? AgentId = null) : BookingResult;
}

/// <summary>
/// The one place showings take a slot, booked by staff through the API and by the voice agent's book_showing tool,
/// or moved (rescheduled) and restored after a cancellation: the lead and property exist, the property can be shown,
/// the time is in the future and inside the agent's working hours, and neither the property nor the agent has
/// another active showing overlapping it. The caller decides first whether the lead is one it may book for.
/// </summary>
public sealed class ShowingBooking(AppDbContext db, TimeProvider time, PropertyBookingTurns turns, AgentAvailability availability,
    INotifier notifier, ShowingInviteMail inviteMail)
{
    public static readonly TimeSpan DefaultLength = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxAdvance = TimeSpan.FromDays(365);

    /// <summary>The clash check's tag (a SQL comment): names the query in logs and lets tests find it.</summary>
    public const string ClashCheckTag = "showing clash check";

    /// <summary>
    /// Who shows the property to the lead: the lead's own agent, else the staff member booking, else the listing
    /// agent (a voice booking for an unassigned lead).
    /// </summary>
    public static int? PickAgent(int? leadAgentId, int? bookedByUserId, int? listingAgentId) =>
        leadAgentId ?? bookedByUserId ?? listingAgentId;

    public async Task<BookingResult> BookAsync(BookShowing request, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var startsAt = request.StartsAt.ToUniversalTime();
        if (CheckTime(startsAt, request.Length, now) is { } invalid) return invalid;
        var endsAt = startsAt + request.Length;

        // Read before the turn: only the clash check and the insert need to be one step.
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
            AgentId = PickAgent(lead.AssignedAgentId, request.CreatedByUserId, property.ListingAgentId),
            StartsAt = startsAt, EndsAt = endsAt, Status = ShowingStatus.Scheduled, Source = request.Source,
            Notes = request.Notes?.Trim(), CallId = request.CallId, CreatedByUserId = request.CreatedByUserId,
            CreatedAt = now, UpdatedAt = now,
        };
        var booked = await TakeSlotAsync(showing, () =>
        {
            db.Showings.Add(showing);
            // Booking a showing moves an earlier-stage lead along the pipeline.
            if (lead.Status is LeadStatus.New or LeadStatus.Contacted or LeadStatus.Qualified)
            {
                lead.Status = LeadStatus.Showing;
                lead.UpdatedAt = now;
                LeadQualification.Track(lead, now);
            }
        }, ct);
        if (booked is not BookingResult.Booked) return booked;
        // The showing's agent hears of it, the invite riding on that email, unless they booked it themselves (then
        // the invite comes on its own); the lead gets the invite too. One message each.
        var invite = await inviteMail.AttachmentAsync(showing.Id, ct);
        var notified = false;
        if (showing.AgentId is { } agentId && agentId != request.CreatedByUserId)
        {
            var message = NotificationMessages.ShowingBooked(agentId, lead.Id, lead.Name, property.Address, startsAt);
            await notifier.PublishAsync(message with { Attachment = invite }, ct);
            notified = true;
        }
        await inviteMail.SendAsync(showing.Id, InviteChange.Booked, toAgent: !notified, ct, invite);
        return booked;
    }

    /// <summary>Moves a tracked active showing to a new time (status rescheduled, the invite's SEQUENCE bumped).</summary>
    public async Task<BookingResult> RescheduleAsync(Showing showing, DateTimeOffset newStart, TimeSpan length, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var startsAt = newStart.ToUniversalTime();
        if (CheckTime(startsAt, length, now) is { } invalid) return invalid;
        var (oldStart, oldEnd) = (showing.StartsAt, showing.EndsAt);
        var sequence = showing.Sequence + 1; // set, not incremented, in the turn: a retried turn runs it again
        showing.StartsAt = startsAt;
        showing.EndsAt = startsAt + length;
        var result = await TakeSlotAsync(showing, () =>
        {
            showing.Status = ShowingStatus.Rescheduled;
            showing.Sequence = sequence;
            showing.UpdatedAt = now;
        }, ct);
        if (result is not BookingResult.Booked) (showing.StartsAt, showing.EndsAt) = (oldStart, oldEnd);
        else await inviteMail.SendAsync(showing.Id, InviteChange.Moved, toAgent: true, ct);
        return result;
    }

    /// <summary>
    /// Takes a canceled showing back (the undo of a cancellation) if its slot is still free and ahead, in the status it
    /// had before (a confirmed showing stays confirmed; rows canceled before that was kept come back scheduled).
    /// </summary>
    public async Task<BookingResult> RestoreAsync(Showing showing, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (showing.StartsAt <= now) return new BookingResult.Invalid("starts_at", "The showing's time has passed; book a new one.");
        var sequence = showing.Sequence + 1;
        var result = await TakeSlotAsync(showing, () =>
        {
            showing.Status = showing.StatusBeforeCancel is { } before && ShowingLifecycle.IsActive(before) ? before : ShowingStatus.Scheduled;
            showing.StatusBeforeCancel = null;
            showing.CanceledAt = null;
            showing.Sequence = sequence;
            showing.UpdatedAt = now;
        }, ct);
        if (result is BookingResult.Booked) await inviteMail.SendAsync(showing.Id, InviteChange.Restored, toAgent: true, ct);
        return result;
    }

    private static BookingResult.Invalid? CheckTime(DateTimeOffset startsAt, TimeSpan length, DateTimeOffset now)
    {
        if (startsAt <= now) return new BookingResult.Invalid("starts_at", "starts_at must be in the future.");
        if (startsAt > now + MaxAdvance) return new BookingResult.Invalid("starts_at", "starts_at must be within a year.");
        if (length <= TimeSpan.Zero || length > TimeSpan.FromHours(8))
            return new BookingResult.Invalid("duration_minutes", "A showing lasts between 1 minute and 8 hours.");
        return null;
    }

    /// <summary>
    /// In the property's and the agent's turn: refuses a clash with another active showing of either, else applies
    /// <paramref name="take"/> (the insert or the move) and saves.
    /// </summary>
    private async Task<BookingResult> TakeSlotAsync(Showing showing, Action take, CancellationToken ct)
    {
        var (propertyId, agentId, startsAt, endsAt, id) = (showing.PropertyId, showing.AgentId, showing.StartsAt, showing.EndsAt, showing.Id);
        if (agentId is { } agent && !await availability.WorksAsync(agent, startsAt, endsAt, ct))
        {
            var name = await db.Users.Where(u => u.Id == agent).Select(u => u.Name).SingleOrDefaultAsync(ct);
            return new BookingResult.Conflict($"{name ?? "The agent"} does not work at that time.", agentId);
        }
        // PostgreSQL retries a transient failure (EnableRetryOnFailure) by running the whole turn again, so every step
        // in it may run twice (adding the same showing, setting the same lead fields) and the tracked changes are
        // accepted only once the turn has committed (EF's "execution strategies and transactions" pattern).
        var result = await db.Database.CreateExecutionStrategy().ExecuteAsync(async cancel =>
        {
            await using var turn = await turns.TakeAsync(db, propertyId, agentId, cancel);
            var clash = await db.Showings.AsNoTracking().TagWith(ClashCheckTag)
                .Where(s => s.Id != id && ShowingLifecycle.Active.Contains(s.Status) && s.StartsAt < endsAt && s.EndsAt > startsAt
                            && (s.PropertyId == propertyId || (agentId != null && s.AgentId == agentId)))
                .Select(s => new { s.PropertyId, AgentName = s.Agent != null ? s.Agent.Name : null })
                .FirstOrDefaultAsync(cancel);
            if (clash is not null)
            {
                return clash.PropertyId == propertyId
                    ? new BookingResult.Conflict("The property already has a showing at that time.", agentId)
                    : new BookingResult.Conflict($"{clash.AgentName ?? "The agent"} already has a showing at that time.", agentId);
            }

            take();
            await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancel);
            await turn.CompleteAsync(cancel);
            return (BookingResult)new BookingResult.Booked(showing);
        }, ct);
        if (result is not BookingResult.Booked) return result;
        db.ChangeTracker.AcceptAllChanges();
        return result;
    }
}
