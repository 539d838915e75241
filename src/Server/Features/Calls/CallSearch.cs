using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;

namespace EstateVoice.Server.Features.Calls;

/// <summary>
/// <c>GET /calls/</c> query: status, direction, outcome, <c>from</c>/<c>to</c> (started_at range; a bare date as
/// <c>to</c> includes that whole day), agent, lead, exact <c>call_sid</c>, and <c>q</c> over the phone numbers,
/// the summary, the caller's name and the lead's name.
/// </summary>
public sealed class CallSearchQuery : PageQuery
{
    [FromQuery(Name = "status")] public string? Status { get; set; }
    [FromQuery(Name = "direction")] public string? Direction { get; set; }
    [FromQuery(Name = "outcome")] public string? Outcome { get; set; }
    [FromQuery(Name = "from")] public string? From { get; set; }
    [FromQuery(Name = "to")] public string? To { get; set; }
    [FromQuery(Name = "agent_id")] public int? AgentId { get; set; }
    [FromQuery(Name = "lead_id")] public int? LeadId { get; set; }
    [FromQuery(Name = "call_sid")] public string? CallSid { get; set; }
    [FromQuery(Name = "q")] public string? Q { get; set; }
    [FromQuery(Name = "sort")] public string? Sort { get; set; }
}

public static class CallSearch
{
    public static readonly SortOptions<Call> Sorts = new SortOptions<Call>("-started_at", c => c.Id)
        .Add("started_at", c => c.StartedAt)
        .AddNullable("duration_seconds", c => c.DurationSeconds)
        .Add("status", c => c.Status);

    public static IQueryable<Call> Apply(IQueryable<Call> calls, CallSearchQuery query, QueryErrors errors)
    {
        query.Validate(errors);
        if (query.Q?.Length > 200) errors.Add("q", "q is at most 200 characters.");
        if (query.CallSid?.Length > 64) errors.Add("call_sid", "call_sid is at most 64 characters.");
        var status = errors.Enum<CallStatus>("status", query.Status);
        var direction = errors.Enum<CallDirection>("direction", query.Direction);
        var outcome = errors.Enum<CallOutcome>("outcome", query.Outcome);
        var from = errors.Time("from", query.From);
        var to = errors.EndTime("to", query.To);
        if (from > to) errors.Add("to", "to must not be before from.");

        if (status is { } s) calls = calls.Where(c => c.Status == s);
        if (direction is { } d) calls = calls.Where(c => c.Direction == d);
        if (outcome is { } o) calls = calls.Where(c => c.Outcome == o);
        if (from is { } f) calls = calls.Where(c => c.StartedAt >= f);
        if (to is { } t) calls = calls.Where(c => c.StartedAt < t);
        if (query.AgentId is { } agentId) calls = calls.Where(c => c.AgentId == agentId);
        if (query.LeadId is { } leadId) calls = calls.Where(c => c.LeadId == leadId);
        if (query.CallSid?.Trim() is { Length: > 0 } callSid) calls = calls.Where(c => c.CallSid == callSid);
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var q = query.Q.Trim().ToLower();
            calls = calls.Where(c => (c.FromNumber != null && c.FromNumber.Contains(q)) || (c.ToNumber != null && c.ToNumber.Contains(q))
                                     || (c.TranscriptSummary != null && c.TranscriptSummary.ToLower().Contains(q))
                                     || (c.CallerUsername != null && c.CallerUsername.ToLower().Contains(q))
                                     || (c.Lead != null && c.Lead.Name.ToLower().Contains(q)));
        }
        return Sorts.Apply(calls, query.Sort, errors);
    }
}
