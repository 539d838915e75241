using EstateVoice.Server.Features.Leads;

namespace EstateVoice.Server.Features.Outbound.Campaigns;

public enum CampaignState { Draft, Running, Paused, Stopped, Completed }

/// <summary>
/// A lead's place in a campaign. Waiting rows are <see cref="Queued"/> or carry their last attempt's outcome
/// (<see cref="Voicemail"/>, <see cref="NoAnswer"/>, <see cref="Busy"/>, <see cref="Failed"/>) with the next attempt's time;
/// <see cref="Dialing"/> is claimed by a node or placed and waiting for Twilio's final status; <see cref="Answered"/>,
/// <see cref="Done"/> (attempts used up or the campaign ended) and <see cref="Skipped"/> are final.
/// </summary>
public enum CampaignLeadState { Queued, Dialing, Answered, Voicemail, NoAnswer, Busy, Failed, Done, Skipped }

/// <summary>Which leads a campaign calls: an explicit list of ids, or every lead matching all the given fields.</summary>
public sealed record CampaignLeadFilter
{
    public List<int>? LeadIds { get; init; }
    public List<LeadStatus>? Statuses { get; init; }
    public List<LeadIntent>? Intents { get; init; }
    public List<LeadSource>? Sources { get; init; }
    public List<int>? AssignedAgentIds { get; init; }
    /// <summary>A lead matches when one of its preferred areas is one of these.</summary>
    public List<string>? Areas { get; init; }
    public string? SourceSite { get; init; }
}

public sealed class Campaign
{
    public const int MaxName = 120;
    public const int MaxInstructions = 4000;
    public const int MaxVoicemail = 1000;

    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>One line the agent says as the reason for the call; becomes each call's <c>Purpose</c>.</summary>
    public required string Goal { get; set; }
    public string? Instructions { get; set; }
    public CampaignLeadFilter Leads { get; set; } = new();
    /// <summary>The campaign's own calling window in the lead's local time (the gate enforces the legal hours on top).</summary>
    public TimeOnly WindowStart { get; set; } = new(9, 0);
    public TimeOnly WindowEnd { get; set; } = new(19, 0);
    /// <summary>Days calls may be placed, as a bit set: bit 0 Sunday … bit 6 Saturday.</summary>
    public int Days { get; set; } = CampaignWindow.Weekdays;
    /// <summary>The window's time zone when the lead has none of its own (IANA id).</summary>
    public string TimeZone { get; set; } = "America/New_York";
    public int MaxAttempts { get; set; } = 3;
    public int SpacingMinutes { get; set; } = 240;
    public int MaxConcurrentCalls { get; set; } = 2;
    /// <summary>The number calls come from; null = <c>TWILIO_PHONE_NUMBER</c>.</summary>
    public string? CallerId { get; set; }
    /// <summary>Spoken after the answering machine's beep, then the call hangs up; null = hang up without a message.</summary>
    public string? VoicemailMessage { get; set; }
    public CampaignState State { get; set; }
    /// <summary>
    /// Null for a campaign users made; else which built-in campaign this is (<see cref="SpeedToLead.SpeedToLeadCampaign.Key"/>):
    /// made at startup, never completed nor stopped nor deleted. Unique, so racing nodes make it once.
    /// </summary>
    public string? BuiltIn { get; set; }
    public int? CreatedById { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One lead in one campaign: its state, attempts, and which node (if any) is dialing it.</summary>
public sealed class CampaignLead
{
    public const int MaxReason = 300;

    public long Id { get; set; }
    public int CampaignId { get; set; }
    public Campaign? Campaign { get; set; }
    public int LeadId { get; set; }
    public Lead? Lead { get; set; }
    public CampaignLeadState State { get; set; }
    /// <summary>Attempts placed with Twilio so far.</summary>
    public int Attempts { get; set; }
    /// <summary>When a waiting row may be dialed; null while dialing or final.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }
    /// <summary>The node that claimed the row to dial it; cleared once the call is placed (or the claim expires and another node takes it).</summary>
    public string? ClaimedBy { get; set; }
    public DateTimeOffset? ClaimExpiresAt { get; set; }
    public int? LastCallId { get; set; }
    public string? LastCallSid { get; set; }
    /// <summary>Twilio's AnsweredBy on the last attempt (human, machine_end_beep…), from the AMD callback.</summary>
    public string? AnsweredBy { get; set; }
    /// <summary>Stable code when skipped (do_not_call, outside_calling_hours…) or why the last attempt failed.</summary>
    public string? ReasonCode { get; set; }
    public string? Reason { get; set; }
    /// <summary>When the lead joined the campaign (for speed to lead: the web form's intake, the start of its clock).</summary>
    public DateTimeOffset? QueuedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public static readonly CampaignLeadState[] Waiting =
        [CampaignLeadState.Queued, CampaignLeadState.Voicemail, CampaignLeadState.NoAnswer, CampaignLeadState.Busy, CampaignLeadState.Failed];
}

/// <summary>The one row that paces dials across every node: the next moment a call may be sent to Twilio.</summary>
public sealed class DialPaceSlot
{
    public const int SingletonId = 1;
    public int Id { get; set; }
    /// <summary>Unix milliseconds: exact equality on both databases for the conditional UPDATE.</summary>
    public long NextSlotUnixMs { get; set; }
}
