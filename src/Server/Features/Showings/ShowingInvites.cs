using System.Text;
using EstateVoice.Server.Infrastructure.Data;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Showings;

/// <summary>
/// An iCalendar file (RFC 5545) for one showing: what the web app downloads and email attaches.
/// <see cref="Method"/> is the calendar's METHOD (REQUEST, or CANCEL for a canceled showing).
/// </summary>
public sealed record ShowingInvite(string FileName, byte[] Content, string Method)
{
    public const string ContentType = "text/calendar";

    /// <summary>The same bytes as an email attachment; the content type carries the method as RFC 6047 asks.</summary>
    public Notifications.Email.MailAttachment ToAttachment() => new(FileName, $"{ContentType}; method={Method}", Content);
}

/// <summary>
/// Builds a showing's invite. The UID stays the same for the showing's whole life, so calendars update the one event:
/// SEQUENCE goes up with every reschedule (and cancel or restore), and a canceled showing is a METHOD:CANCEL.
/// </summary>
public sealed class ShowingInvites(AppDbContext db)
{
    public static string Uid(int showingId) => $"showing-{showingId}@estate-voice";

    /// <summary>Null when there is no such showing (callers check who may see it first).</summary>
    public async Task<ShowingInvite?> BuildAsync(int showingId, CancellationToken ct)
    {
        var s = await db.Showings.AsNoTracking().Where(x => x.Id == showingId).Select(x => new
        {
            x.Id, x.StartsAt, x.EndsAt, x.Status, x.Sequence, x.Notes, x.UpdatedAt,
            Address = x.Property != null ? x.Property.Address : null,
            City = x.Property != null ? x.Property.City : null,
            LeadName = x.Lead != null ? x.Lead.Name : null,
            AgentName = x.Agent != null ? x.Agent.Name : null,
            AgentEmail = x.Agent != null ? x.Agent.Email : null,
            LeadEmail = x.Lead != null ? x.Lead.Email : null,
        }).SingleOrDefaultAsync(ct);
        if (s is null) return null;

        var canceled = s.Status == ShowingStatus.Canceled;
        var location = string.Join(", ", new[] { s.Address, s.City }.Where(p => !string.IsNullOrWhiteSpace(p)));
        var showing = new CalendarEvent
        {
            Uid = Uid(s.Id),
            Sequence = s.Sequence,
            DtStamp = new CalDateTime(s.UpdatedAt.UtcDateTime),
            DtStart = new CalDateTime(s.StartsAt.UtcDateTime),
            DtEnd = new CalDateTime(s.EndsAt.UtcDateTime),
            Summary = $"Showing: {s.Address ?? "property"}" + (s.LeadName is null ? "" : $" with {s.LeadName}"),
            Location = location,
            Description = string.Join("\n", new[] { s.AgentName is null ? null : $"Agent: {s.AgentName}", s.Notes }.Where(l => !string.IsNullOrWhiteSpace(l))),
            Status = canceled ? EventStatus.Cancelled : s.Status == ShowingStatus.Confirmed ? EventStatus.Confirmed : EventStatus.Tentative,
        };
        if (s.AgentEmail is not null) showing.Organizer = new Organizer($"mailto:{s.AgentEmail}") { CommonName = s.AgentName };
        // The lead is the invitee when they have an email (they get the invite too, see ShowingInviteMail).
        if (!string.IsNullOrWhiteSpace(s.LeadEmail))
            showing.Attendees.Add(new Attendee($"mailto:{s.LeadEmail.Trim()}") { CommonName = s.LeadName, Role = "REQ-PARTICIPANT", Rsvp = true });
        var method = canceled ? "CANCEL" : "REQUEST";
        var calendar = new Calendar { Method = method };
        calendar.Events.Add(showing);
        var text = new CalendarSerializer().SerializeToString(calendar) ?? "";
        return new ShowingInvite($"showing-{s.Id}.ics", Encoding.UTF8.GetBytes(text), method);
    }
}
