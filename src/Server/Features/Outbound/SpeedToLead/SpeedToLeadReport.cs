using System.Globalization;
using System.Security.Claims;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Outbound.Campaigns;
using EstateVoice.Server.Features.Reports;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Outbound.SpeedToLead;

/// <summary>One ISO week of web-form leads queued for speed to lead (weeks start on Monday, UTC).</summary>
/// <param name="Week">ISO week as <c>2026-W48</c>.</param>
/// <param name="MedianSeconds">Intake to first ring, of the leads called; null when none was.</param>
/// <param name="WithinTarget">First ring within <see cref="SpeedToLeadReport.TargetSeconds"/> of the intake.</param>
/// <param name="NotYetCalled">No ring yet: waiting for the calling window, refused by the gate, or the call never rang.</param>
public sealed record SpeedToLeadWeek(
    string Week, DateOnly WeekStart, int Leads, int Called, double? MedianSeconds, double? P90Seconds, int WithinTarget, int Later, int NotYetCalled);

public sealed record SpeedToLeadReportResponse(
    DateTimeOffset From, DateTimeOffset To, bool Enabled, int TargetSeconds, int Leads, int Called, double? MedianSeconds, double? P90Seconds,
    int WithinTarget, int Later, int NotYetCalled, IReadOnlyList<SpeedToLeadWeek> Weeks);

/// <summary>
/// <c>GET /reports/speed-to-lead?from&amp;to</c> (last 30 days by default): of the leads queued in the range, seconds
/// from intake (<c>CampaignLeads.QueuedAt</c>) to the first ring of a speed-to-lead call (<c>Calls.FirstRingAt</c>),
/// median and p90 per ISO week and overall. An Agent's report covers only the leads they see.
/// </summary>
public static class SpeedToLeadReport
{
    public static readonly int TargetSeconds = (int)SpeedToLeadOptions.Target.TotalSeconds;

    public static IEndpointRouteBuilder MapSpeedToLeadReport(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/reports").WithTags("Reports").MapGet("/speed-to-lead", async Task<Results<Ok<SpeedToLeadReportResponse>, ValidationProblem>> (
            [FromQuery(Name = "from")] string? fromText, [FromQuery(Name = "to")] string? toText,
            ClaimsPrincipal user, AppDbContext db, SpeedToLeadCampaign speedToLead, TimeProvider time, CancellationToken ct) =>
        {
            var errors = new QueryErrors();
            var to = errors.EndTime("to", toText) ?? time.GetUtcNow().AddSeconds(1); // the end is exclusive (times are stored to the millisecond): a lead queued this instant counts
            var from = errors.Time("from", fromText) ?? to - ReportsApi.DefaultRange;
            if (from >= to) errors.Add("to", "to must be after from.");
            else if (to - from > ReportsApi.MaxRange) errors.Add("from", $"A report covers at most {ReportsApi.MaxRange.TotalDays} days.");
            if (errors.Any) return errors.ToProblem();
            return TypedResults.Ok(await BuildAsync(db, user, speedToLead.Enabled, from, to, ct));
        });
        return app;
    }

    private static async Task<SpeedToLeadReportResponse> BuildAsync(AppDbContext db, ClaimsPrincipal user, bool enabled, DateTimeOffset from,
        DateTimeOffset to, CancellationToken ct)
    {
        var visible = db.Leads.AsNoTracking().VisibleTo(user);
        var campaign = db.Campaigns.Where(c => c.BuiltIn == SpeedToLeadCampaign.Key).Select(c => c.Id);
        // Rows in SQL, seconds and weeks here: a week's median has no translation common to both databases, and a
        // year of one team's web-form leads is a few thousand small rows.
        var rows = await db.CampaignLeads.AsNoTracking()
            .Where(r => campaign.Contains(r.CampaignId) && r.QueuedAt >= from && r.QueuedAt < to && visible.Any(l => l.Id == r.LeadId))
            .Select(r => new
            {
                QueuedAt = r.QueuedAt!.Value,
                FirstRing = db.Calls.Where(c => c.CampaignId == r.CampaignId && c.LeadId == r.LeadId && c.FirstRingAt != null)
                    .Min(c => c.FirstRingAt),
            })
            .ToListAsync(ct);
        var facts = rows.Select(r => new Fact(r.QueuedAt, r.FirstRing is { } ring ? Math.Max(0, (ring - r.QueuedAt).TotalSeconds) : null)).ToList();
        var weeks = facts.GroupBy(f => WeekStart(f.QueuedAt)).OrderBy(g => g.Key).Select(g =>
        {
            var (called, median, p90, within, later, waiting) = Figures(g.ToList());
            return new SpeedToLeadWeek(IsoWeek(g.Key), g.Key, g.Count(), called, median, p90, within, later, waiting);
        }).ToList();
        var all = Figures(facts);
        return new SpeedToLeadReportResponse(from, to, enabled, TargetSeconds, facts.Count, all.Called, all.Median, all.P90, all.Within, all.Later,
            all.Waiting, weeks);
    }

    private sealed record Fact(DateTimeOffset QueuedAt, double? Seconds);

    private static (int Called, double? Median, double? P90, int Within, int Later, int Waiting) Figures(List<Fact> facts)
    {
        var seconds = facts.Where(f => f.Seconds is not null).Select(f => f.Seconds!.Value).Order().ToList();
        var within = seconds.Count(s => s <= TargetSeconds);
        return (seconds.Count, Median(seconds), Percentile(seconds, 0.9), within, seconds.Count - within, facts.Count - seconds.Count);
    }

    /// <summary>The middle value (the mean of the two middle ones for an even count), to one decimal.</summary>
    internal static double? Median(IReadOnlyList<double> sorted) => sorted.Count == 0 ? null
        : Math.Round(sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2, 1);

    /// <summary>Nearest rank: the smallest value with at least <paramref name="p"/> of the values at or below it.</summary>
    internal static double? Percentile(IReadOnlyList<double> sorted, double p) => sorted.Count == 0 ? null
        : Math.Round(sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)], 1);

    private static DateOnly WeekStart(DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }

    private static string IsoWeek(DateOnly monday)
    {
        var date = monday.ToDateTime(TimeOnly.MinValue);
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(date)}-W{ISOWeek.GetWeekOfYear(date):00}");
    }
}
