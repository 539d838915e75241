using EstateVoice.Server.Features.Notifications.Email;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Showings;

/// <summary>What happened to a showing, as the invite email's subject says it.</summary>
public enum InviteChange { Booked, Moved, Restored, Canceled }

/// <summary>
/// Emails a showing's invite (the same bytes as <c>GET /showings/{id}/invite.ics</c>) as a
/// <c>text/calendar; method=…</c> attachment, one message to the agent and one to the lead when the lead has an email,
/// so both calendars hold the event and follow its moves (same UID, higher SEQUENCE) and its cancellation. Goes
/// through the notification mail queue (off the request path, retried); nothing is built when SMTP is not set up.
/// The showing is already saved when this runs, so a failure here is logged, never thrown.
/// </summary>
public sealed partial class ShowingInviteMail(
    AppDbContext db, ShowingInvites invites, NotificationMailQueue queue, ILogger<ShowingInviteMail> logger)
{
    /// <summary>The invite as an attachment, or null when no email will be sent (SMTP unset) or the showing is gone.</summary>
    public async Task<MailAttachment?> AttachmentAsync(int showingId, CancellationToken ct)
    {
        if (!queue.Enabled) return null;
        try
        {
            return (await invites.BuildAsync(showingId, ct))?.ToAttachment();
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogNotSent(ex, showingId);
            return null;
        }
    }

    /// <summary>
    /// Queues the invite to the lead (when they have an email) and, when <paramref name="toAgent"/>, to the agent
    /// (a booking's agent usually gets it with their notification instead: one message each).
    /// <paramref name="attachment"/> is reused when the caller built it already.
    /// </summary>
    public async Task SendAsync(int showingId, InviteChange change, bool toAgent, CancellationToken ct, MailAttachment? attachment = null)
    {
        if (!queue.Enabled) return;
        try
        {
            attachment ??= await AttachmentAsync(showingId, ct);
            if (attachment is null) return;
            var s = await db.Showings.AsNoTracking().Where(x => x.Id == showingId).Select(x => new
            {
                x.LeadId, x.StartsAt,
                Address = x.Property != null ? x.Property.Address : null,
                LeadName = x.Lead != null ? x.Lead.Name : null,
                LeadEmail = x.Lead != null ? x.Lead.Email : null,
                AgentName = x.Agent != null && x.Agent.IsActive ? x.Agent.Name : null,
                AgentEmail = x.Agent != null && x.Agent.IsActive ? x.Agent.Email : null,
            }).SingleOrDefaultAsync(ct);
            if (s is null) return;
            var title = Title(change, s.Address, s.StartsAt);
            if (toAgent && !string.IsNullOrWhiteSpace(s.AgentEmail))
                queue.TryQueue(new NotificationMail(s.AgentEmail, s.AgentName ?? "", title, $"/leads/{s.LeadId}", attachment));
            // The lead has no account: no link into the web app, only the invite.
            if (!string.IsNullOrWhiteSpace(s.LeadEmail))
                queue.TryQueue(new NotificationMail(s.LeadEmail.Trim(), string.IsNullOrWhiteSpace(s.LeadName) ? "" : s.LeadName.Trim(), title, null, attachment));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogNotSent(ex, showingId);
        }
    }

    private static string Title(InviteChange change, string? address, DateTimeOffset startsAt)
    {
        var what = change switch
        {
            InviteChange.Booked => "Showing booked",
            InviteChange.Moved => "Showing moved",
            InviteChange.Restored => "Showing back on",
            _ => "Showing canceled",
        };
        return $"{what}: {address ?? "the property"}, {startsAt.UtcDateTime:ddd d MMM HH:mm} UTC";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invite email for showing {ShowingId} not queued")]
    private partial void LogNotSent(Exception exception, int showingId);
}
