using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EstateVoice.Server.Features.Webhooks.Outgoing;

public enum WebhookDeliveryStatus { Pending, Delivered, Failed }

/// <summary>
/// The outbox: one row per (event, URL). Its <c>webhook-delivery</c> job (key <see cref="DeliveryKey"/>) does the
/// sending, claiming and backoff; this row is what staff read: status, attempts, last response code and error.
/// </summary>
public sealed class WebhookDelivery
{
    public const int MaxUrl = 2000;
    public const int MaxError = 1000;

    public long Id { get; set; }
    /// <summary>The job's key (a random id): lets the delivery and its job be written in one SaveChanges.</summary>
    public required string DeliveryKey { get; set; }
    /// <summary>Sent as <c>EstateVoice-Event-Id</c>: the same on every attempt and every URL, so receivers can drop repeats.</summary>
    public required string EventId { get; set; }
    public required string EventType { get; set; }
    public int? CallId { get; set; }
    public required string Url { get; set; }
    /// <summary>The exact JSON sent (and signed) on every attempt.</summary>
    public required string Payload { get; set; }
    public WebhookDeliveryStatus Status { get; set; }
    /// <summary>Every attempt made, redeliveries included.</summary>
    public int Attempts { get; set; }
    public int? LastResponseCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> delivery)
    {
        delivery.Property(d => d.DeliveryKey).HasMaxLength(64);
        delivery.Property(d => d.EventId).HasMaxLength(64);
        delivery.Property(d => d.EventType).HasMaxLength(64);
        delivery.Property(d => d.Url).HasMaxLength(WebhookDelivery.MaxUrl);
        delivery.Property(d => d.LastError).HasMaxLength(WebhookDelivery.MaxError);
        delivery.HasIndex(d => d.DeliveryKey).IsUnique();
        delivery.HasIndex(d => new { d.EventId, d.Url }).IsUnique();
        delivery.HasIndex(d => new { d.CallId, d.EventType });
        delivery.HasIndex(d => new { d.Status, d.CreatedAt });
    }
}
