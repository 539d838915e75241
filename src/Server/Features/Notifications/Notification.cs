using EstateVoice.Server.Features.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EstateVoice.Server.Features.Notifications;

public enum NotificationKind { LeadAssigned, ShowingBooked, TransferMissed, CallbackRequested, CampaignFinished }

/// <summary>One entry in a user's notification centre (the bell). Unread until the user opens or dismisses it.</summary>
public sealed class Notification
{
    public long Id { get; set; }
    public int UserId { get; set; }
    public User? User { get; set; }
    public NotificationKind Kind { get; set; }
    public required string Title { get; set; }
    /// <summary>The web app path the entry opens (e.g. <c>/leads/12</c>).</summary>
    public string? Link { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> notification)
    {
        notification.Property(n => n.Title).HasMaxLength(300);
        notification.Property(n => n.Link).HasMaxLength(300);
        // The bell's queries: a user's unread count, and their list newest first.
        notification.HasIndex(n => new { n.UserId, n.ReadAt, n.Id });
        notification.HasOne(n => n.User).WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
