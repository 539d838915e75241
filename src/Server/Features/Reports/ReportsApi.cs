using System.Security.Claims;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Showings;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Reports;

/// <summary>
/// <c>GET /reports/summary?from&amp;to</c>: the last 30 days by default; a bare date as <c>to</c> includes that day.
/// Every figure comes from the same visibility rules as the lists, so an Agent's report covers only their own
/// calls, leads and showings and has only their own per-agent row.
/// </summary>
public static class ReportsApi
{
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(30);
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(366);

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/reports").WithTags("Reports");

        group.MapGet("/summary", async Task<Results<Ok<SummaryReport>, ValidationProblem>> (
            [FromQuery(Name = "from")] string? fromText, [FromQuery(Name = "to")] string? toText,
            ClaimsPrincipal user, AppDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var errors = new QueryErrors();
            var to = errors.EndTime("to", toText) ?? time.GetUtcNow();
            var from = errors.Time("from", fromText) ?? to - DefaultRange;
            if (from >= to) errors.Add("to", "to must be after from.");
            else if (to - from > MaxRange) errors.Add("from", $"A report covers at most {MaxRange.TotalDays} days.");
            if (errors.Any) return errors.ToProblem();
            return TypedResults.Ok(await BuildAsync(db, user, from, to, ct));
        });

        return app;
    }

    private static async Task<SummaryReport> BuildAsync(AppDbContext db, ClaimsPrincipal user, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        // Calls are filtered in SQL and bucketed here: grouping by calendar day has no translation common to both
        // databases (SQLite stores times as ticks), and a year of one team's calls is a few thousand small rows.
        // Browser test calls are the team trying the agent, not callers: they count in no figure.
        var calls = await db.Calls.AsNoTracking().VisibleTo(user)
            .Where(c => !c.IsTest && c.StartedAt >= from && c.StartedAt < to)
            .Select(c => new CallFacts(c.StartedAt, c.Direction, c.AnsweredAt != null, c.DurationSeconds, c.Outcome, c.AgentId))
            .ToListAsync(ct);

        // One definition per figure, shared by the tiles, the funnel and the per-agent rows, so they add up (issue 15:
        // a tile said 17 qualified where the funnel said 16, and the agents' rows did not sum to the totals):
        // leads = created in the range; qualified = of those, the ones that reached qualified; showings booked =
        // showings created in the range. Every row's figures sum to the totals, with an "Unassigned" row for work no
        // agent holds (voice calls nobody took over, unassigned leads) and rows for agents since deactivated.
        var leads = db.Leads.AsNoTracking().VisibleTo(user).Where(l => !l.IsTest);
        var created = leads.Where(l => l.CreatedAt >= from && l.CreatedAt < to);
        var qualified = created.Where(l => l.QualifiedAt != null);
        var booked = db.Showings.AsNoTracking().VisibleTo(user).Where(s => s.CreatedAt >= from && s.CreatedAt < to);

        var funnel = new Funnel(
            await created.CountAsync(ct),
            await qualified.CountAsync(ct),
            await created.CountAsync(l => db.Showings.Any(s => s.LeadId == l.Id), ct));

        var assignedByAgent = await CountByAsync(created.GroupBy(l => l.AssignedAgentId), ct);
        var qualifiedByAgent = await CountByAsync(qualified.GroupBy(l => l.AssignedAgentId), ct);
        var showingsByAgent = await CountByAsync(booked.GroupBy(s => s.AgentId), ct);
        var perAgent = await AgentRowsAsync(db, user, calls, assignedByAgent, qualifiedByAgent, showingsByAgent, ct);

        return new SummaryReport(
            from, to, calls.Count, calls.Count(c => c.Answered), AverageDuration(calls), PerDay(calls, from, to),
            calls.Where(c => c.Outcome is not null).GroupBy(c => c.Outcome!.Value)
                .Select(g => new OutcomeCount(g.Key, g.Count())).OrderByDescending(o => o.Count).ThenBy(o => o.Outcome).ToList(),
            funnel.Leads, funnel.Qualified, await booked.CountAsync(ct), funnel, perAgent);
    }

    /// <summary>
    /// A row per agent who could have figures (every active agent for those who see everything, else the user), plus
    /// anyone else the figures name (an agent since deactivated), plus "Unassigned" when some work has no agent.
    /// </summary>
    private static async Task<List<AgentRow>> AgentRowsAsync(AppDbContext db, ClaimsPrincipal user, List<CallFacts> calls,
        Dictionary<int, int> assigned, Dictionary<int, int> qualified, Dictionary<int, int> showings, CancellationToken ct)
    {
        var userId = user.GetUserId();
        var named = calls.Select(c => c.AgentId ?? Unassigned).Concat(assigned.Keys).Concat(qualified.Keys).Concat(showings.Keys)
            .Where(id => id != Unassigned).ToHashSet();
        var agents = await db.Users.AsNoTracking()
            .Where(u => named.Contains(u.Id) || (user.SeesEverything() ? u.Role == UserRole.Agent && u.IsActive : u.Id == userId))
            .OrderBy(u => u.Name).Select(u => new { u.Id, u.Name }).ToListAsync(ct);
        var rows = agents.Select(a => Row(a.Id, a.Name)).ToList();
        var unassigned = Row(Unassigned, "Unassigned");
        if (unassigned.Calls + unassigned.LeadsAssigned + unassigned.ShowingsBooked > 0) rows.Add(unassigned with { AgentId = null });
        return rows;

        AgentRow Row(int id, string name)
        {
            var own = calls.Where(c => (c.AgentId ?? Unassigned) == id).ToList();
            return new AgentRow(id, name, own.Count, AverageDuration(own),
                assigned.GetValueOrDefault(id), qualified.GetValueOrDefault(id), showings.GetValueOrDefault(id));
        }
    }

    /// <summary>The key of work no agent holds; user ids start at 1.</summary>
    private const int Unassigned = 0;

    private static async Task<Dictionary<int, int>> CountByAsync<T>(IQueryable<IGrouping<int?, T>> groups, CancellationToken ct) =>
        await groups.Select(g => new { Key = g.Key ?? Unassigned, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);

    /// <summary>Mean length of the calls that have one, to one decimal; 0 when none do.</summary>
    private static double AverageDuration(IEnumerable<CallFacts> calls)
    {
        var durations = calls.Where(c => c.DurationSeconds is not null).Select(c => c.DurationSeconds!.Value).ToList();
        return durations.Count == 0 ? 0 : Math.Round(durations.Average(), 1);
    }

    /// <summary>One row per UTC day in the range, empty days included, so charts need no gap filling.</summary>
    private static List<CallsPerDay> PerDay(List<CallFacts> calls, DateTimeOffset from, DateTimeOffset to)
    {
        var byDay = calls.ToLookup(c => DateOnly.FromDateTime(c.StartedAt.UtcDateTime));
        var days = new List<CallsPerDay>();
        var last = DateOnly.FromDateTime(to.UtcDateTime.AddTicks(-1));
        for (var day = DateOnly.FromDateTime(from.UtcDateTime); day <= last; day = day.AddDays(1))
        {
            var onDay = byDay[day].ToList();
            days.Add(new CallsPerDay(day, onDay.Count, onDay.Count(c => c.Direction == CallDirection.Inbound), onDay.Count(c => c.Direction == CallDirection.Outbound)));
        }
        return days;
    }

    private sealed record CallFacts(DateTimeOffset StartedAt, CallDirection Direction, bool Answered, int? DurationSeconds, CallOutcome? Outcome, int? AgentId);
}
