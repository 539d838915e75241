namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

public enum WebhookProcessingState { Pending, Processed, Failed, Ignored }

/// <summary>
/// Every signed ElevenLabs delivery, stored before we answer 200. (CallSid, EventType, EventTimestamp) is unique,
/// so the database — not application code — decides which of several identical deliveries gets processed.
/// </summary>
public sealed class ElevenLabsEventLog
{
    public long Id { get; set; }
    public required string CallSid { get; set; }
    public required string EventType { get; set; }
    public long EventTimestamp { get; set; }
    public string? ConversationId { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public required string RawPayload { get; set; }
    public WebhookProcessingState ProcessingState { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
}
