using EstateVoice.Server.Features.Auth;

namespace EstateVoice.Server.Features.Leads;

/// <summary>The sales pipeline, in order; Won and Lost both close a lead.</summary>
public enum LeadStatus { New, Contacted, Qualified, Showing, Offer, Won, Lost }

public enum LeadIntent { Buy, Sell, Rent }

public enum LeadSource { InboundCall, OutboundCall, Website, Referral, Portal, WalkIn, Other }

public sealed class Lead
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>E.164, e.g. +14155550123; how inbound callers are matched to their lead.</summary>
    public required string Phone { get; set; }
    public string? Email { get; set; }
    public LeadSource Source { get; set; }
    public LeadStatus Status { get; set; }
    public LeadIntent? Intent { get; set; }
    public decimal? BudgetMin { get; set; }
    public decimal? BudgetMax { get; set; }
    public bool? PreApproved { get; set; }
    public string? Timeline { get; set; }
    public List<string> PreferredAreas { get; set; } = [];
    public int? Bedrooms { get; set; }
    public string? Notes { get; set; }
    public int? AssignedAgentId { get; set; }
    public User? AssignedAgent { get; set; }
    public bool ConsentToCall { get; set; }
    /// <summary>When consent was given, as the person or the form that collected it said (stored as given).</summary>
    public DateTimeOffset? ConsentAt { get; set; }
    /// <summary>The consent wording the person agreed to (web-form intake), kept as evidence.</summary>
    public string? ConsentText { get; set; }
    /// <summary>The site whose form sent the lead (web-form intake).</summary>
    public string? SourceSite { get; set; }
    public bool DoNotCall { get; set; }
    /// <summary>Made by a browser test call (the team trying the agent): left out of the leads list and the reports.</summary>
    public bool IsTest { get; set; }
    public string? TimeZone { get; set; }
    /// <summary>When the lead first reached Qualified; reports count qualifications by this date.</summary>
    public DateTimeOffset? QualifiedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
