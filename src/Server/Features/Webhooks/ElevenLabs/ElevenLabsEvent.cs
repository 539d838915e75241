using EstateVoice.Server.Features.Calls;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

public static class ElevenLabsEventTypes
{
    public const string CallStarted = "call_started";
    public const string PostCallTranscription = "post_call_transcription";
    public const string PostCallAudio = "post_call_audio";
    public const string CallInitiationFailure = "call_initiation_failure";
    /// <summary>Our own type for a signed delivery we could not read, so it is kept for inspection.</summary>
    public const string Malformed = "malformed";

    public static bool IsKnown(string type) => type is CallStarted or PostCallTranscription or PostCallAudio or CallInitiationFailure;
}

public sealed record TranscriptTurn(Speaker Speaker, string Text, int? StartSeconds, bool Interrupted, string? ToolCallsJson);

public sealed record PhoneCallInfo(CallDirection? Direction, string? AgentNumber, string? ExternalNumber);

/// <summary>
/// One post-call event, read leniently from either the seed's shape (<c>call_id</c>, string transcript, <c>summary</c>,
/// <c>audio</c>/<c>audio_url</c>, <c>duration_seconds</c>) or ElevenLabs' real one (<c>conversation_id</c>, turn list,
/// <c>analysis</c>, <c>metadata</c>, <c>full_audio</c>).
/// </summary>
public sealed record ElevenLabsEvent
{
    public required string Type { get; init; }
    public required long EventTimestamp { get; init; }
    /// <summary>The identifier the event log is keyed by: stable for every delivery of the same event.</summary>
    public required string EventKey { get; init; }
    /// <summary>A telephony call SID named as such (metadata.phone_call.call_sid, system__call_sid, call_sid).</summary>
    public string? CallSid { get; init; }
    /// <summary>Every identifier the payload carries, most specific first (SIDs, call_id, external_id, conversation_id).</summary>
    public IReadOnlyList<string> Identifiers { get; init; } = [];
    public string? ConversationId { get; init; }
    public string? TranscriptText { get; init; }
    public IReadOnlyList<TranscriptTurn> Turns { get; init; } = [];
    public string? Summary { get; init; }
    public string? CollectedCallerName { get; init; }
    /// <summary>Decoded inline audio (full_audio / audio / audio_base64).</summary>
    public byte[]? Audio { get; init; }
    /// <summary>Inline audio was present but was not valid base64.</summary>
    public bool AudioInvalid { get; init; }
    public Uri? AudioUrl { get; init; }
    public int? DurationSeconds { get; init; }
    public bool DurationInvalid { get; init; }
    public long? StartTimeUnixSeconds { get; init; }
    public PhoneCallInfo? Phone { get; init; }
    public string? FailureReason { get; init; }

    public DateTimeOffset EventTime => DateTimeOffset.FromUnixTimeSeconds(EventTimestamp);
}
