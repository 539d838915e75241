namespace EstateVoice.Server.Features.Notifications;

/// <summary>
/// What happened, for whom. <see cref="UserId"/> null means "nobody owns it yet": every active Manager is told
/// (they hand out unassigned work). <see cref="Attachment"/> goes with the email (e.g. a booked showing's invite).
/// </summary>
public sealed record NotificationMessage(int? UserId, NotificationKind Kind, string Title, string? Link,
    Email.MailAttachment? Attachment = null);

/// <summary>
/// The one way a feature raises a notification: a row in the user's centre, a live push to their open pages and,
/// with SMTP set up, an email. Never throws for a delivery problem: the event that raised it has already happened.
/// </summary>
public interface INotifier
{
    Task PublishAsync(NotificationMessage message, CancellationToken ct);
}
