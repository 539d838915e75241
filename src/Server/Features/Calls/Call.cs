using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Calls.Analysis;
using EstateVoice.Server.Features.Leads;

namespace EstateVoice.Server.Features.Calls;

public enum CallDirection { Inbound, Outbound }

/// <summary>Twilio's call statuses (in-progress → InProgress, no-answer → NoAnswer).</summary>
public enum CallStatus { Queued, Ringing, InProgress, Completed, Busy, Failed, NoAnswer, Canceled }

public enum CallOutcome
{
    ShowingBooked, Qualified, Transferred, InformationProvided, NotInterested, DoNotCall, Voicemail, NoAnswer, Failed, Abandoned, TransferFailed,
    /// <summary>The caller reached us by mistake (or we reached someone who is not the lead): not a lead, not a failure.</summary>
    WrongNumber,
}

public sealed class Call
{
    public const int MaxPurpose = 200;
    /// <summary>Twilio SIDs are 34 characters; the columns leave room.</summary>
    public const int MaxSid = 64;
    /// <summary>E.164 is at most 16 characters; Twilio also sends "anonymous" and client names.</summary>
    public const int MaxPhoneNumber = 32;

    public int Id { get; set; }
    public required string CallSid { get; set; }
    public string? ParentCallSid { get; set; }
    /// <summary>ElevenLabs conversation id, known once any post-call event reveals it.</summary>
    public string? ConversationId { get; set; }
    public CallDirection Direction { get; set; }
    public string? FromNumber { get; set; }
    public string? ToNumber { get; set; }
    /// <summary>An outbound call's reason as the agent will say it ("your enquiry about the house on Elm Street"); null = from the lead's facts.</summary>
    public string? Purpose { get; set; }
    public CallStatus Status { get; set; }
    /// <summary>
    /// A test call from the web app's test-call page: kept and reviewable, but no lead is made for it and it counts in
    /// no figure (dashboard, reports) nor lists unless asked for (<c>include_tests</c>).
    /// </summary>
    public bool IsTest { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    /// <summary>An outbound call's first ring at the lead's phone (Twilio's <c>ringing</c> status, else the answer): speed to lead's clock stops here.</summary>
    public DateTimeOffset? FirstRingAt { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public int? DurationSeconds { get; set; }
    public string? RecordingUrl { get; set; }
    /// <summary>Key of the recording in blob storage; never exposed, streamed through /calls/{id}/recording.</summary>
    public string? RecordingBlobName { get; set; }
    public int? RecordingDurationSeconds { get; set; }
    /// <summary>Calls we handle ourselves: recorded / pending / declined / off / failed (Voice/Recording); null for others.</summary>
    public string? RecordingStatus { get; set; }
    /// <summary>Why, in words staff read under the player ("caller in CA agreed").</summary>
    public string? RecordingStatusReason { get; set; }
    public string? TranscriptText { get; set; }
    public string? TranscriptSummary { get; set; }
    public string? CallerUsername { get; set; }
    public string? ReceptionStatus { get; set; }
    public DateTimeOffset? ReceptionTimestamp { get; set; }
    public DateTimeOffset? WebhookProcessedAt { get; set; }
    public CallOutcome? Outcome { get; set; }
    public string? FailureReason { get; set; }
    /// <summary>SHA-256 (hex) of the one-time token the media stream must present; cleared once a stream is accepted.</summary>
    public string? StreamTokenHash { get; set; }
    public DateTimeOffset? StreamStartedAt { get; set; }
    /// <summary>The node whose voice session runs this call's media stream (while it is in progress).</summary>
    public string? LeaseOwner { get; set; }
    /// <summary>Renewed by that session while it runs; once passed, a sweeper on any node finalises the call ("server lost").</summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }
    /// <summary>
    /// Twilio's <c>DialCallSid</c> of the last transfer attempt whose <c>&lt;Dial action&gt;</c> report was acted on:
    /// a report with the same one is a replay, whatever its timing (a resumed call can transfer again).
    /// </summary>
    public string? LastDialCallSid { get; set; }
    /// <summary>The outbound campaign that placed this call, if any.</summary>
    public int? CampaignId { get; set; }
    public int? LeadId { get; set; }
    public Lead? Lead { get; set; }
    public int? AgentId { get; set; }
    public User? Agent { get; set; }
    public List<CallTurn> Turns { get; set; } = [];
    /// <summary>The post-call analysis (none until the call has ended and its job was queued).</summary>
    public CallAnalysis? Analysis { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
