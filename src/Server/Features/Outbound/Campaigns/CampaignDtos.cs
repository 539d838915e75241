using System.Globalization;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Leads;

namespace EstateVoice.Server.Features.Outbound.Campaigns;

/// <summary>
/// A campaign as created or updated. Times are <c>HH:mm</c> in the lead's time zone (else <paramref name="TimeZone"/>);
/// days are names (<c>monday</c>…); <paramref name="Leads"/> is a filter or an explicit <c>lead_ids</c> list.
/// </summary>
public sealed record CampaignRequest(
    string? Name, string? Goal, string? Instructions, CampaignLeadFilter? Leads, string? WindowStart, string? WindowEnd,
    List<DayOfWeek>? Days, string? TimeZone, int? MaxAttempts, int? SpacingMinutes, int? MaxConcurrentCalls, string? CallerId,
    string? VoicemailMessage)
{
    public const int MaxLeadIds = 50_000;
    public const int MaxFilterValues = 100;

    /// <summary>Checks every field and applies them to <paramref name="campaign"/>; returns the field errors (none = applied).</summary>
    public Dictionary<string, string[]> ApplyTo(Campaign campaign, PhoneNormalizer phones)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors[field] = [message];

        var name = Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > Campaign.MaxName || name.Any(char.IsControl))
            Error("name", $"name is required: one line of at most {Campaign.MaxName} characters.");
        var goal = Goal?.Trim();
        if (string.IsNullOrEmpty(goal) || goal.Length > Call.MaxPurpose || goal.Any(char.IsControl))
            Error("goal", $"goal is required: the one line the agent says as the reason for the call, at most {Call.MaxPurpose} characters.");
        var instructions = string.IsNullOrWhiteSpace(Instructions) ? null : Instructions.Trim();
        if (instructions?.Length > Campaign.MaxInstructions) Error("instructions", $"instructions must be at most {Campaign.MaxInstructions} characters.");
        var voicemail = string.IsNullOrWhiteSpace(VoicemailMessage) ? null : VoicemailMessage.Trim();
        if (voicemail?.Length > Campaign.MaxVoicemail) Error("voicemail_message", $"voicemail_message must be at most {Campaign.MaxVoicemail} characters.");

        var filter = Leads ?? new CampaignLeadFilter();
        if (filter.LeadIds is { Count: > MaxLeadIds }) Error("leads.lead_ids", $"lead_ids can list at most {MaxLeadIds:#,0} leads.");
        if (filter.LeadIds is { Count: > 0 } && HasFilterFields(filter))
            Error("leads", "Give either lead_ids or filter fields (statuses, intents, sources, assigned_agent_ids, areas, source_site), not both.");
        if (new[] { filter.Statuses?.Count, filter.Intents?.Count, filter.Sources?.Count, filter.AssignedAgentIds?.Count, filter.Areas?.Count }
            .Any(n => n > MaxFilterValues))
            Error("leads", $"Each filter field takes at most {MaxFilterValues} values.");
        if (filter.Areas?.Any(a => string.IsNullOrWhiteSpace(a) || a.Length > 100) == true) Error("leads.areas", "areas must be names of at most 100 characters.");

        var start = ParseTime(WindowStart, campaign.WindowStart, "window_start", Error);
        var end = ParseTime(WindowEnd, campaign.WindowEnd, "window_end", Error);
        if (start >= end && !errors.ContainsKey("window_start") && !errors.ContainsKey("window_end"))
            Error("window_end", "window_end must be after window_start.");
        if (Days is { Count: 0 }) Error("days", "days must name at least one day.");
        var zone = string.IsNullOrWhiteSpace(TimeZone) ? campaign.TimeZone : TimeZone.Trim();
        if (CampaignWindow.FindZone(zone) is null) Error("time_zone", "time_zone must be an IANA time zone such as America/New_York.");
        if (MaxAttempts is < 1 or > 10) Error("max_attempts", "max_attempts must be between 1 and 10.");
        if (SpacingMinutes is < 1 or > 43_200) Error("spacing_minutes", "spacing_minutes must be between 1 and 43200 (30 days).");
        if (MaxConcurrentCalls is < 1 or > 500) Error("max_concurrent_calls", "max_concurrent_calls must be between 1 and 500.");
        string? callerId = null;
        if (!string.IsNullOrWhiteSpace(CallerId) && (callerId = phones.Normalize(CallerId)) is null) Error("caller_id", PhoneNormalizer.Message);
        if (errors.Count > 0) return errors;

        campaign.Name = name!;
        campaign.Goal = goal!;
        campaign.Instructions = instructions;
        campaign.VoicemailMessage = voicemail;
        campaign.Leads = Normalise(filter);
        campaign.WindowStart = start;
        campaign.WindowEnd = end;
        if (Days is not null) campaign.Days = CampaignWindow.ToMask(Days);
        campaign.TimeZone = zone;
        campaign.MaxAttempts = MaxAttempts ?? campaign.MaxAttempts;
        campaign.SpacingMinutes = SpacingMinutes ?? campaign.SpacingMinutes;
        campaign.MaxConcurrentCalls = MaxConcurrentCalls ?? campaign.MaxConcurrentCalls;
        campaign.CallerId = callerId;
        return errors;
    }

    private static bool HasFilterFields(CampaignLeadFilter f) =>
        f.Statuses is { Count: > 0 } || f.Intents is { Count: > 0 } || f.Sources is { Count: > 0 } || f.AssignedAgentIds is { Count: > 0 }
        || f.Areas is { Count: > 0 } || !string.IsNullOrWhiteSpace(f.SourceSite);

    private static CampaignLeadFilter Normalise(CampaignLeadFilter f) => new()
    {
        LeadIds = f.LeadIds is { Count: > 0 } ids ? ids.Distinct().Order().ToList() : null,
        Statuses = f.Statuses is { Count: > 0 } s ? s.Distinct().ToList() : null,
        Intents = f.Intents is { Count: > 0 } i ? i.Distinct().ToList() : null,
        Sources = f.Sources is { Count: > 0 } so ? so.Distinct().ToList() : null,
        AssignedAgentIds = f.AssignedAgentIds is { Count: > 0 } a ? a.Distinct().ToList() : null,
        Areas = f.Areas is { Count: > 0 } ar ? ar.Select(x => x.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList() : null,
        SourceSite = string.IsNullOrWhiteSpace(f.SourceSite) ? null : f.SourceSite.Trim(),
    };

    private static TimeOnly ParseTime(string? value, TimeOnly current, string field, Action<string, string> error)
    {
        if (string.IsNullOrWhiteSpace(value)) return current;
        if (TimeOnly.TryParseExact(value.Trim(), ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)) return time;
        error(field, $"{field} must be a time of day as HH:mm (e.g. 09:00).");
        return current;
    }
}

/// <summary>How far a campaign got; <c>dialed</c> counts leads called at least once, <c>opted_out</c> those skipped for do-not-call.</summary>
public sealed record CampaignProgress(
    int Total, int Queued, int Dialing, int Dialed, int Answered, int Voicemail, int NoAnswer, int Busy, int Failed, int Done, int Skipped,
    int OptedOut)
{
    public static readonly CampaignProgress Empty = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}

public sealed record CampaignResponse(
    int Id, string Name, string Goal, string? Instructions, CampaignLeadFilter Leads, string WindowStart, string WindowEnd,
    IReadOnlyList<DayOfWeek> Days, string TimeZone, int MaxAttempts, int SpacingMinutes, int MaxConcurrentCalls, string? CallerId,
    string? VoicemailMessage, CampaignState State, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, CampaignProgress Progress, string? BuiltIn)
{
    public static CampaignResponse From(Campaign c, CampaignProgress progress) => new(
        c.Id, c.Name, c.Goal, c.Instructions, c.Leads, c.WindowStart.ToString("HH:mm", CultureInfo.InvariantCulture),
        c.WindowEnd.ToString("HH:mm", CultureInfo.InvariantCulture), CampaignWindow.FromMask(c.Days), c.TimeZone, c.MaxAttempts,
        c.SpacingMinutes, c.MaxConcurrentCalls, c.CallerId, c.VoicemailMessage, c.State, c.StartedAt, c.EndedAt, c.CreatedAt, c.UpdatedAt, progress, c.BuiltIn);
}

public sealed record CampaignLeadResponse(
    long Id, int LeadId, string LeadName, string LeadPhone, CampaignLeadState State, int Attempts, DateTimeOffset? NextAttemptAt,
    int? LastCallId, string? AnsweredBy, string? ReasonCode, string? Reason, DateTimeOffset UpdatedAt);
