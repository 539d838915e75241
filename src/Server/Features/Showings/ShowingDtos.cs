using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;

namespace EstateVoice.Server.Features.Showings;

public sealed record ShowingResponse(
    int Id, int LeadId, string? LeadName, int PropertyId, string? PropertyAddress, int? AgentId, string? AgentName,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, ShowingStatus Status, ShowingSource Source, string? Notes, int? CallId,
    DateTimeOffset CreatedAt)
{
    public static readonly Expression<Func<Showing, ShowingResponse>> Projection = s => new ShowingResponse(
        s.Id, s.LeadId, s.Lead != null ? s.Lead.Name : null, s.PropertyId, s.Property != null ? s.Property.Address : null,
        s.AgentId, s.Agent != null ? s.Agent.Name : null, s.StartsAt, s.EndsAt, s.Status, s.Source, s.Notes, s.CallId, s.CreatedAt);
}

/// <summary>POST /showings/ body; a showing lasts an hour unless <c>duration_minutes</c> says otherwise.</summary>
public sealed record CreateShowingRequest(
    [property: Required] int? LeadId,
    [property: Required] int? PropertyId,
    [property: Required] DateTimeOffset? StartsAt,
    [property: Range(15, 480)] int? DurationMinutes,
    [property: MaxLength(2000)] string? Notes);

/// <summary><c>GET /showings/</c> query: <c>from</c>/<c>to</c> on starts_at, status, lead, agent, property.</summary>
public sealed class ShowingSearchQuery : PageQuery
{
    [FromQuery(Name = "from")] public string? From { get; set; }
    [FromQuery(Name = "to")] public string? To { get; set; }
    [FromQuery(Name = "status")] public string? Status { get; set; }
    [FromQuery(Name = "lead_id")] public int? LeadId { get; set; }
    [FromQuery(Name = "agent_id")] public int? AgentId { get; set; }
    [FromQuery(Name = "property_id")] public int? PropertyId { get; set; }
    [FromQuery(Name = "sort")] public string? Sort { get; set; }
}

public static class ShowingSearch
{
    public static readonly SortOptions<Showing> Sorts = new SortOptions<Showing>("-starts_at", s => s.Id)
        .Add("starts_at", s => s.StartsAt)
        .Add("created_at", s => s.CreatedAt);

    public static IQueryable<Showing> Apply(IQueryable<Showing> showings, ShowingSearchQuery query, QueryErrors errors)
    {
        query.Validate(errors);
        var status = errors.Enum<ShowingStatus>("status", query.Status);
        var from = errors.Time("from", query.From);
        var to = errors.EndTime("to", query.To);
        if (from > to) errors.Add("to", "to must not be before from.");

        if (status is { } s) showings = showings.Where(x => x.Status == s);
        if (from is { } f) showings = showings.Where(x => x.StartsAt >= f);
        if (to is { } t) showings = showings.Where(x => x.StartsAt < t);
        if (query.LeadId is { } leadId) showings = showings.Where(x => x.LeadId == leadId);
        if (query.AgentId is { } agentId) showings = showings.Where(x => x.AgentId == agentId);
        if (query.PropertyId is { } propertyId) showings = showings.Where(x => x.PropertyId == propertyId);
        return Sorts.Apply(showings, query.Sort, errors);
    }
}
