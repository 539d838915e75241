using System.Linq.Expressions;
using EstateVoice.Server.Features.Calls.Analysis;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Calls;

/// <summary>
/// <c>GET /calls/</c> (and <c>/calls/export.csv</c>) query: status, direction, outcome, <c>from</c>/<c>to</c>
/// (started_at range; a bare date as <c>to</c> includes that whole day), <c>sentiment</c> (from the post-call analysis), agent, lead, exact <c>call_sid</c>,
/// <c>include_tests</c> (browser test calls are left out otherwise), and <c>q</c> over the phone numbers, the
/// summary, the caller's name, the lead's name and the words said (turns and transcript), case-insensitive.
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
    [FromQuery(Name = "include_tests")] public bool? IncludeTests { get; set; }
    [FromQuery(Name = "sentiment")] public string? Sentiment { get; set; }
    [FromQuery(Name = "sort")] public string? Sort { get; set; }
}

/// <summary>How a database matches words inside text: PostgreSQL's ILIKE (served by trigram indexes), or lower() + LIKE.</summary>
public enum TextMatch { Lowered, ILike }

public static class CallSearch
{
    public static readonly SortOptions<Call> Sorts = new SortOptions<Call>("-started_at", c => c.Id)
        .Add("started_at", c => c.StartedAt)
        .AddNullable("duration_seconds", c => c.DurationSeconds)
        .Add("status", c => c.Status)
        .AddNullable("outcome", c => c.Outcome)
        // The name the list shows: the lead's, else the caller's, else the other party's number.
        .AddNullable("caller", c => c.Lead != null ? c.Lead.Name
            : c.CallerUsername ?? (c.Direction == CallDirection.Outbound ? c.ToNumber : c.FromNumber));

    public static IQueryable<Call> Apply(IQueryable<Call> calls, CallSearchQuery query, QueryErrors errors, TextMatch match = TextMatch.Lowered)
    {
        query.Validate(errors);
        return Sorts.Apply(Filter(calls, query, errors, match), query.Sort, errors);
    }

    /// <summary>The filters alone (no paging checks, no order): the list and the CSV export share them.</summary>
    public static IQueryable<Call> Filter(IQueryable<Call> calls, CallSearchQuery query, QueryErrors errors, TextMatch match)
    {
        if (query.Q?.Length > 200) errors.Add("q", "q is at most 200 characters.");
        if (query.CallSid?.Length > 64) errors.Add("call_sid", "call_sid is at most 64 characters.");
        var status = errors.Enum<CallStatus>("status", query.Status);
        var direction = errors.Enum<CallDirection>("direction", query.Direction);
        var outcome = errors.Enum<CallOutcome>("outcome", query.Outcome);
        var sentiment = errors.Enum<CallSentiment>("sentiment", query.Sentiment);
        var from = errors.Time("from", query.From);
        var to = errors.EndTime("to", query.To);
        if (from > to) errors.Add("to", "to must not be before from.");

        if (query.IncludeTests != true) calls = calls.Where(c => !c.IsTest);
        if (status is { } s) calls = calls.Where(c => c.Status == s);
        if (direction is { } d) calls = calls.Where(c => c.Direction == d);
        if (outcome is { } o) calls = calls.Where(c => c.Outcome == o);
        if (sentiment is { } m) calls = calls.Where(c => c.Analysis != null && c.Analysis.Sentiment == m);
        if (from is { } f) calls = calls.Where(c => c.StartedAt >= f);
        if (to is { } t) calls = calls.Where(c => c.StartedAt < t);
        if (query.AgentId is { } agentId) calls = calls.Where(c => c.AgentId == agentId);
        if (query.LeadId is { } leadId) calls = calls.Where(c => c.LeadId == leadId);
        if (query.CallSid?.Trim() is { Length: > 0 } callSid) calls = calls.Where(c => c.CallSid == callSid);
        if (!string.IsNullOrWhiteSpace(query.Q)) calls = calls.Where(Matching(calls, query.Q.Trim(), match));
        return calls;
    }

    private static Expression<Func<Call, bool>> Matching(IQueryable<Call> calls, string words, TextMatch match)
    {
        var q = words.ToLowerInvariant();
        if (match == TextMatch.ILike)
        {
            var pattern = "%" + EscapeLike(words) + "%";
            // The transcript match is a subquery of its own: inside the OR over the other columns PostgreSQL can
            // only scan every row's transcript, while on its own it reads the trigram index once (hashed SubPlan;
            // CallSearchPlanTests proves the plan). The turns' EXISTS gets the same plan from PostgreSQL itself.
            var transcriptSaid = calls.Where(t => t.TranscriptText != null && EF.Functions.ILike(t.TranscriptText, pattern, "\\")).Select(t => t.Id);
            return c => (c.FromNumber != null && c.FromNumber.Contains(q)) || (c.ToNumber != null && c.ToNumber.Contains(q))
                        || (c.TranscriptSummary != null && EF.Functions.ILike(c.TranscriptSummary, pattern, "\\"))
                        || (c.CallerUsername != null && EF.Functions.ILike(c.CallerUsername, pattern, "\\"))
                        || (c.Lead != null && EF.Functions.ILike(c.Lead.Name, pattern, "\\"))
                        || transcriptSaid.Contains(c.Id)
                        || c.Turns.Any(t => EF.Functions.ILike(t.Text, pattern, "\\"));
        }
        // SQLite scans: its lower() folds ASCII only, as does the rest of its text handling.
        return c => (c.FromNumber != null && c.FromNumber.Contains(q)) || (c.ToNumber != null && c.ToNumber.Contains(q))
                    || (c.TranscriptSummary != null && c.TranscriptSummary.ToLower().Contains(q))
                    || (c.CallerUsername != null && c.CallerUsername.ToLower().Contains(q))
                    || (c.Lead != null && c.Lead.Name.ToLower().Contains(q))
                    || (c.TranscriptText != null && c.TranscriptText.ToLower().Contains(q))
                    || c.Turns.Any(t => t.Text.ToLower().Contains(q));
    }

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
