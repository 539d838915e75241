using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using EstateVoice.Server.Infrastructure.Http;

namespace EstateVoice.Server.Features.Leads;

public sealed record LeadResponse(
    int Id, string Name, string Phone, string? Email, LeadSource Source, LeadStatus Status, LeadIntent? Intent,
    decimal? BudgetMin, decimal? BudgetMax, bool? PreApproved, string? Timeline, List<string> PreferredAreas, int? Bedrooms,
    string? Notes, int? AssignedAgentId, string? AssignedAgentName, bool ConsentToCall, DateTimeOffset? ConsentAt, string? ConsentText,
    bool DoNotCall, string? TimeZone, string? SourceSite, DateTimeOffset? QualifiedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static readonly Expression<Func<Lead, LeadResponse>> Projection = l => new LeadResponse(
        l.Id, l.Name, l.Phone, l.Email, l.Source, l.Status, l.Intent, l.BudgetMin, l.BudgetMax, l.PreApproved, l.Timeline,
        l.PreferredAreas, l.Bedrooms, l.Notes, l.AssignedAgentId, l.AssignedAgent != null ? l.AssignedAgent.Name : null,
        l.ConsentToCall, l.ConsentAt, l.ConsentText, l.DoNotCall, l.TimeZone, l.SourceSite, l.QualifiedAt, l.CreatedAt, l.UpdatedAt);
}

public static class LeadRules
{
    /// <summary>E.164: a plus, a non-zero country digit, at most 15 digits in all.</summary>
    public const string E164 = @"^\+[1-9]\d{6,14}$";
    public const string E164Message = "Phone numbers are E.164, e.g. +14155550123.";
}

/// <summary>POST and PUT body. <c>assigned_agent_id</c> is honoured for Managers/Admins; an Agent's leads are their own.</summary>
public sealed record LeadRequest(
    [property: Required, MaxLength(200)] string Name,
    [property: Required, MaxLength(40)] string Phone,
    [property: EmailAddress, MaxLength(254)] string? Email,
    LeadSource? Source,
    LeadStatus? Status,
    LeadIntent? Intent,
    [property: Money] decimal? BudgetMin,
    [property: Money] decimal? BudgetMax,
    bool? PreApproved,
    [property: MaxLength(100)] string? Timeline,
    [property: MaxLength(20), ItemsMaxLength(100)] List<string>? PreferredAreas,
    [property: Range(0, 50)] int? Bedrooms,
    [property: MaxLength(4000)] string? Notes,
    int? AssignedAgentId,
    bool? ConsentToCall,
    DateTimeOffset? ConsentAt,
    bool? DoNotCall,
    [property: MaxLength(64)] string? TimeZone);

/// <summary>PATCH body: only the fields present (non-null) change. Assignment goes through POST /leads/{id}/assign.</summary>
public sealed record LeadPatch(
    [property: MinLength(1), MaxLength(200)] string? Name,
    [property: MaxLength(40)] string? Phone,
    [property: EmailAddress, MaxLength(254)] string? Email,
    LeadSource? Source,
    LeadStatus? Status,
    LeadIntent? Intent,
    [property: Money] decimal? BudgetMin,
    [property: Money] decimal? BudgetMax,
    bool? PreApproved,
    [property: MaxLength(100)] string? Timeline,
    [property: MaxLength(20), ItemsMaxLength(100)] List<string>? PreferredAreas,
    [property: Range(0, 50)] int? Bedrooms,
    [property: MaxLength(4000)] string? Notes,
    bool? ConsentToCall,
    DateTimeOffset? ConsentAt,
    bool? DoNotCall,
    [property: MaxLength(64)] string? TimeZone);

public sealed record AssignLeadRequest([property: Required] int? AgentId);
