using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;

namespace EstateVoice.Server.Features.Leads;

/// <summary><c>GET /leads/</c> query: status, intent, source, assigned agent, free text over name/phone/email, paging, sort.</summary>
public sealed class LeadSearchQuery : PageQuery
{
    [FromQuery(Name = "status")] public string? Status { get; set; }
    [FromQuery(Name = "intent")] public string? Intent { get; set; }
    [FromQuery(Name = "source")] public string? Source { get; set; }
    [FromQuery(Name = "assigned_agent_id")] public int? AssignedAgentId { get; set; }
    [FromQuery(Name = "q")] public string? Q { get; set; }
    [FromQuery(Name = "sort")] public string? Sort { get; set; }
}

public static class LeadSearch
{
    public static readonly SortOptions<Lead> Sorts = new SortOptions<Lead>("-created_at", l => l.Id)
        .Add("created_at", l => l.CreatedAt)
        .Add("updated_at", l => l.UpdatedAt)
        .Add("name", l => l.Name)
        .Add("status", l => l.Status)
        .Add("phone", l => l.Phone)
        .AddNullable("intent", l => l.Intent)
        .AddNullable("assigned_agent_name", l => l.AssignedAgent != null ? l.AssignedAgent.Name : null)
        .AddNullable("budget_min", l => l.BudgetMin)
        .AddNullable("budget_max", l => l.BudgetMax)
        .AddNullable("qualified_at", l => l.QualifiedAt);

    public static IQueryable<Lead> Apply(IQueryable<Lead> leads, LeadSearchQuery query, QueryErrors errors)
    {
        query.Validate(errors);
        if (query.Q?.Length > 200) errors.Add("q", "q is at most 200 characters.");
        var status = errors.Enum<LeadStatus>("status", query.Status);
        var intent = errors.Enum<LeadIntent>("intent", query.Intent);
        var source = errors.Enum<LeadSource>("source", query.Source);

        leads = leads.Where(l => !l.IsTest);
        if (status is { } s) leads = leads.Where(l => l.Status == s);
        if (intent is { } i) leads = leads.Where(l => l.Intent == i);
        if (source is { } so) leads = leads.Where(l => l.Source == so);
        if (query.AssignedAgentId is { } agentId) leads = leads.Where(l => l.AssignedAgentId == agentId);
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var q = query.Q.Trim().ToLower();
            leads = leads.Where(l => l.Name.ToLower().Contains(q) || l.Phone.Contains(q) || (l.Email != null && l.Email.ToLower().Contains(q)));
        }
        return Sorts.Apply(leads, query.Sort, errors);
    }
}
