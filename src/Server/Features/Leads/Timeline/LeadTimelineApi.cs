using System.Security.Claims;
using EstateVoice.Server.Features.Leads.Notes;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Leads.Timeline;

/// <summary>
/// One entry on a lead's timeline. <c>kind</c> is call, campaign_attempt, showing, note, created, status_change or
/// assignment; the id of the call, showing or note it comes from lets the page link to it.
/// </summary>
public sealed record TimelineItem(
    string Kind, DateTimeOffset At, string Title, string? Detail, string? ActorName, int? CallId = null, int? ShowingId = null, int? NoteId = null);

/// <summary>
/// <c>GET /leads/{id}/timeline</c>: everything that happened to a lead, newest first, from the rows each feature
/// already keeps (calls with their summary, showings, notes) plus <see cref="LeadActivity"/> for status changes and
/// assignments. A page is merged from the newest page × size rows of each source, so deep pages are capped.
/// </summary>
public static class LeadTimelineApi
{
    /// <summary>How deep the timeline pages (page × page_size): each source is read up to this many rows.</summary>
    public const int MaxDepth = 2000;

    public static RouteGroupBuilder MapLeadTimeline(this RouteGroupBuilder leads)
    {
        leads.MapGet("/{id:int}/timeline", async Task<Results<Ok<PagedResponse<TimelineItem>>, ValidationProblem, ProblemHttpResult>> (
            int id, [AsParameters] PageQuery paging, ClaimsPrincipal user, AppDbContext db, CancellationToken ct) =>
        {
            var errors = new QueryErrors();
            paging.Validate(errors);
            if (!errors.Any && paging.PageOrDefault * paging.PageSizeOrDefault > MaxDepth)
                errors.Add("page", $"The timeline pages to its {MaxDepth} newest entries (page × page_size).");
            if (errors.Any) return errors.ToProblem();
            if (!await db.Leads.VisibleTo(user).AnyAsync(l => l.Id == id, ct)) return Problems.NotFound("Lead");
            return TypedResults.Ok(await PageAsync(db, id, paging, ct));
        });
        return leads;
    }

    private static async Task<PagedResponse<TimelineItem>> PageAsync(AppDbContext db, int leadId, PageQuery paging, CancellationToken ct)
    {
        var depth = paging.PageOrDefault * paging.PageSizeOrDefault;
        var calls = db.Calls.AsNoTracking().Where(c => c.LeadId == leadId && !c.IsTest);
        var showings = db.Showings.AsNoTracking().Where(s => s.LeadId == leadId);
        var notes = db.Set<LeadNote>().AsNoTracking().Where(n => n.LeadId == leadId);
        var activities = db.Set<LeadActivity>().AsNoTracking().Where(a => a.LeadId == leadId);
        var total = await calls.CountAsync(ct) + await showings.CountAsync(ct) + await notes.CountAsync(ct) + await activities.CountAsync(ct);

        var items = new List<TimelineItem>();
        items.AddRange((await calls.OrderByDescending(c => c.StartedAt).ThenByDescending(c => c.Id).Take(depth)
            .Select(c => new
            {
                c.Id, c.StartedAt, c.Direction, c.Status, c.Outcome, c.DurationSeconds, CampaignName = c.CampaignId == null ? null
                    : db.Campaigns.Where(k => k.Id == c.CampaignId).Select(k => k.Name).FirstOrDefault(),
                c.CampaignId, Summary = c.Analysis != null && c.Analysis.Summary != null ? c.Analysis.Summary : c.TranscriptSummary,
                Agent = c.Agent != null ? c.Agent.Name : null,
            }).ToListAsync(ct))
            .Select(c => new TimelineItem(
                c.CampaignId is null ? "call" : "campaign_attempt", c.StartedAt,
                c.CampaignId is null
                    ? $"{SnakeCaseEnum.Name(c.Direction)} call, {Describe(c.Status, c.Outcome)}"
                    : $"Campaign call ({c.CampaignName}), {Describe(c.Status, c.Outcome)}",
                c.Summary, c.Agent, CallId: c.Id)));
        items.AddRange((await showings.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Take(depth)
            .Select(s => new { s.Id, s.CreatedAt, s.StartsAt, s.Status, s.Source, Address = s.Property != null ? s.Property.Address : null, Agent = s.Agent != null ? s.Agent.Name : null })
            .ToListAsync(ct))
            .Select(s => new TimelineItem("showing", s.CreatedAt, $"Showing at {s.Address ?? "a listing"} ({SnakeCaseEnum.Name(s.Status)})",
                $"Starts {s.StartsAt:u}; booked by {(s.Source == Showings.ShowingSource.VoiceAgent ? "the voice agent" : "staff")}.", s.Agent, ShowingId: s.Id)));
        items.AddRange(await notes.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(depth)
            .Select(n => new TimelineItem("note", n.CreatedAt, "Note", n.Body, n.Author != null ? n.Author.Name : null, null, null, n.Id))
            .ToListAsync(ct));
        items.AddRange((await activities.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(depth)
            .Select(a => new
            {
                a.Kind, a.At, a.FromStatus, a.ToStatus, Actor = a.Actor != null ? a.Actor.Name : null,
                From = db.Users.Where(u => u.Id == a.FromAgentId).Select(u => u.Name).FirstOrDefault(),
                To = db.Users.Where(u => u.Id == a.ToAgentId).Select(u => u.Name).FirstOrDefault(),
            }).ToListAsync(ct))
            .Select(a => a.Kind switch
            {
                LeadActivityKind.Created => new TimelineItem("created", a.At, $"Lead created ({Status(a.ToStatus)})",
                    a.To is null ? "Unassigned." : $"Assigned to {a.To}.", a.Actor ?? "System"),
                LeadActivityKind.StatusChanged => new TimelineItem("status_change", a.At, $"Status {Status(a.FromStatus)} → {Status(a.ToStatus)}", null, a.Actor ?? "System"),
                _ => new TimelineItem("assignment", a.At, a.To is null ? "Unassigned" : $"Assigned to {a.To}",
                    a.From is null ? null : $"Was {a.From}.", a.Actor ?? "System"),
            }));

        var page = items.OrderByDescending(i => i.At).Skip((paging.PageOrDefault - 1) * paging.PageSizeOrDefault).Take(paging.PageSizeOrDefault).ToList();
        return new PagedResponse<TimelineItem>(page, total, paging.PageOrDefault, paging.PageSizeOrDefault);
    }

    private static string Status(LeadStatus? status) => status is { } s ? SnakeCaseEnum.Name(s) : "none";

    private static string Describe(Calls.CallStatus status, Calls.CallOutcome? outcome) =>
        outcome is { } o ? SnakeCaseEnum.Name(o) : SnakeCaseEnum.Name(status);
}
