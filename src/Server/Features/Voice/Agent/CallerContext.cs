using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Leads;

namespace EstateVoice.Server.Features.Voice.Agent;

/// <summary>
/// Who is on the line, as far as the CRM knows when the call starts: which way the call goes, the lead the number
/// belongs to (its known facts), the lead's last call and, for an outbound call, why we are calling.
/// </summary>
/// <param name="PartyPhone">The other party's number (the caller's on an inbound call, the lead's on an outbound one);
/// null for a browser test call, which has no number and so matches no lead.</param>
/// <param name="Purpose">An outbound call's reason as given when it was placed; null = from the lead's facts.</param>
public sealed record CallerContext(
    CallDirection Direction, string? PartyPhone, KnownLead? Lead, PreviousCall? LastCall, string? Purpose)
{
    /// <summary>A browser test call, or a call the CRM could not be asked about: a new inbound caller.</summary>
    public static CallerContext Unknown(string? partyPhone) => new(CallDirection.Inbound, partyPhone, null, null, null);

    public bool IsOutbound => Direction == CallDirection.Outbound;

    /// <summary>The campaign an outbound call was placed for (its name and the manager's instructions), else null.</summary>
    public CampaignBrief? Campaign { get; init; }
}

/// <summary>What a campaign's manager told the agent to do on its calls: written by our own staff, so followed as instructions.</summary>
public sealed record CampaignBrief(string Name, string? Instructions);

/// <summary>A lead's facts as the agent may use them (no notes, no email: what qualifies the lead and who owns it).</summary>
public sealed record KnownLead(
    int Id, string Name, LeadIntent? Intent, IReadOnlyList<string> Areas, decimal? BudgetMin, decimal? BudgetMax,
    int? Bedrooms, string? Timeline, bool? PreApproved, LeadStatus Status, string? AssignedAgentName, bool DoNotCall)
{
    /// <summary>
    /// The first name to address them by, or null when the lead has no real name yet (a lead the agent created from
    /// an unknown number is called "Unknown caller" until the caller gives one).
    /// </summary>
    public string? FirstName
    {
        get
        {
            var name = Name.Trim();
            if (IsPlaceholderName(name)) return null;
            var first = name.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            return first.Any(char.IsLetter) ? first : null;
        }
    }

    /// <summary>Whether <paramref name="name"/> is no real name: empty, or one the voice agent gives a lead before it knows the person's.</summary>
    public static bool IsPlaceholderName(string name) => string.IsNullOrWhiteSpace(name) || PlaceholderNames.Contains(name.Trim());

    /// <summary>The names the voice agent gives a lead before it knows the person's (see <c>EfAgentDataStore</c>).</summary>
    private static readonly HashSet<string> PlaceholderNames = new(StringComparer.OrdinalIgnoreCase) { "Unknown caller", "Test caller", "Unknown" };
}

/// <param name="Summary">The call's summary if one was written, else the end of its transcript (clipped).</param>
public sealed record PreviousCall(DateTimeOffset StartedAt, CallDirection Direction, CallOutcome? Outcome, string? Summary);
