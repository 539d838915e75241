using System.Security.Claims;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Tasks;

/// <summary>
/// <c>GET /tasks</c> query: <c>mine</c> (assigned to me), <c>assignee_id</c>, <c>unassigned</c>, <c>lead_id</c>,
/// <c>done</c>, paging.
/// </summary>
public sealed class TaskQuery : PageQuery
{
    [FromQuery(Name = "mine")] public bool? Mine { get; set; }
    [FromQuery(Name = "assignee_id")] public int? AssigneeId { get; set; }
    [FromQuery(Name = "unassigned")] public bool? Unassigned { get; set; }
    [FromQuery(Name = "lead_id")] public int? LeadId { get; set; }
    [FromQuery(Name = "done")] public bool? Done { get; set; }
}

/// <summary>
/// Follow-up tasks, scoped by <see cref="TaskAccess"/>. Listed open first, then overdue ones first and by due date
/// (undated last). Agents create tasks for themselves on leads they see; Managers and Admins assign anyone.
/// </summary>
public static class TasksApi
{
    public static IEndpointRouteBuilder MapTasksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/tasks").WithTags("Tasks");

        group.MapGet("/", async Task<Results<Ok<PagedResponse<TaskResponse>>, ValidationProblem>> (
            [AsParameters] TaskQuery query, ClaimsPrincipal user, AppDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var errors = new QueryErrors();
            query.Validate(errors);
            if (errors.Any) return errors.ToProblem();
            var tasks = db.Set<FollowUpTask>().AsNoTracking().VisibleTo(user);
            if (query.Mine == true)
            {
                var me = user.GetUserId();
                tasks = tasks.Where(t => t.AssigneeId == me);
            }
            if (query.AssigneeId is { } assigneeId) tasks = tasks.Where(t => t.AssigneeId == assigneeId);
            if (query.Unassigned == true) tasks = tasks.Where(t => t.AssigneeId == null);
            if (query.LeadId is { } leadId) tasks = tasks.Where(t => t.LeadId == leadId);
            if (query.Done is { } done) tasks = tasks.Where(t => t.Done == done);
            var ordered = tasks.OrderBy(t => t.Done).ThenBy(t => t.DueAt == null).ThenBy(t => t.DueAt).ThenBy(t => t.Id);
            return TypedResults.Ok(await ordered.Select(TaskResponse.Projection(time.GetUtcNow())).ToPageAsync(query, ct));
        });

        // The team board's per-person counts of open tasks (Managers and Admins): who is behind, at a glance.
        group.MapGet("/team", async (AppDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow();
            var rows = await db.Set<FollowUpTask>().AsNoTracking().Where(t => !t.Done)
                .GroupBy(t => new { t.AssigneeId, Name = t.Assignee != null ? t.Assignee.Name : null })
                .Select(g => new TeamTaskCount(g.Key.AssigneeId, g.Key.Name, g.Count(), g.Count(t => t.DueAt != null && t.DueAt < now)))
                .ToListAsync(ct);
            return TypedResults.Ok(rows.OrderByDescending(r => r.Overdue).ThenByDescending(r => r.Open)
                .ThenBy(r => r.AssigneeName ?? "\uffff", StringComparer.OrdinalIgnoreCase).ToList());
        }).RequireAuthorization(Policies.ManagerOrAdmin);

        group.MapGet("/{id:int}", async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> (
            int id, ClaimsPrincipal user, AppDbContext db, TimeProvider time, CancellationToken ct) =>
            await Find(db, user, id, time, ct) is { } task ? TypedResults.Ok(task) : Problems.NotFound("Task"));

        group.MapPost("/", async Task<Results<Created<TaskResponse>, ValidationProblem, ProblemHttpResult>> (
            TaskRequest request, ClaimsPrincipal user, AppDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.Title)) return ProblemResults.Invalid("title", "title must not be blank.");
            if (request.DueAt is { } due && !InputLimits.IsTime(due)) return ProblemResults.Invalid("due_at", "due_at is not a plausible time.");
            int? leadAgent = null;
            if (request.LeadId is { } leadId)
            {
                var lead = await db.Leads.VisibleTo(user).Where(l => l.Id == leadId).Select(l => new { l.AssignedAgentId }).SingleOrDefaultAsync(ct);
                if (lead is null) return ProblemResults.Invalid("lead_id", $"No lead you can see has id {leadId}.");
                leadAgent = lead.AssignedAgentId;
            }
            var assignee = request.AssigneeId ?? (user.SeesEverything() ? leadAgent : user.GetUserId());
            if (await AssigneeProblem(db, user, assignee, ct) is { } problem) return problem;
            var now = time.GetUtcNow();
            var task = new FollowUpTask
            {
                Title = request.Title.Trim(), DueAt = request.DueAt?.ToUniversalTime(), AssigneeId = assignee, LeadId = request.LeadId,
                CreatedById = user.GetUserId(), CreatedAt = now, UpdatedAt = now,
            };
            db.Add(task);
            await db.SaveChangesAsync(ct);
            return TypedResults.Created($"/tasks/{task.Id}", (await Find(db, user, task.Id, time, ct))!);
        });

        group.MapPatch("/{id:int}", async Task<Results<Ok<TaskResponse>, ValidationProblem, ProblemHttpResult>> (
            int id, TaskPatch patch, ClaimsPrincipal user, AppDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var task = await db.Set<FollowUpTask>().VisibleTo(user).SingleOrDefaultAsync(t => t.Id == id, ct);
            if (task is null) return Problems.NotFound("Task");
            if (patch.Title is not null && string.IsNullOrWhiteSpace(patch.Title)) return ProblemResults.Invalid("title", "title must not be blank.");
            if (patch.DueAt is { } due && !InputLimits.IsTime(due)) return ProblemResults.Invalid("due_at", "due_at is not a plausible time.");
            if (patch.Unassign == true && patch.AssigneeId is not null)
                return ProblemResults.Invalid("unassign", "Send either assignee_id or unassign, not both.");
            if (patch.AssigneeId is not null || patch.Unassign == true)
            {
                var wanted = patch.Unassign == true ? null : patch.AssigneeId;
                if (await AssigneeProblem(db, user, wanted, ct) is { } problem) return problem;
                task.AssigneeId = wanted;
            }
            var now = time.GetUtcNow();
            if (patch.Title is not null) task.Title = patch.Title.Trim();
            if (patch.ClearDueAt == true) task.DueAt = null;
            else if (patch.DueAt is { } dueAt) task.DueAt = dueAt.ToUniversalTime();
            if (patch.Done is { } done && done != task.Done)
            {
                task.Done = done;
                task.DoneAt = done ? now : null;
            }
            task.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok((await Find(db, user, id, time, ct))!);
        });

        group.MapDelete("/{id:int}", async Task<Results<NoContent, ProblemHttpResult>> (int id, ClaimsPrincipal user, AppDbContext db, CancellationToken ct) =>
            await db.Set<FollowUpTask>().VisibleTo(user).Where(t => t.Id == id).ExecuteDeleteAsync(ct) == 0
                ? Problems.NotFound("Task")
                : TypedResults.NoContent());

        return app;
    }

    private static Task<TaskResponse?> Find(AppDbContext db, ClaimsPrincipal user, int id, TimeProvider time, CancellationToken ct) =>
        db.Set<FollowUpTask>().AsNoTracking().VisibleTo(user).Where(t => t.Id == id)
            .Select(TaskResponse.Projection(time.GetUtcNow())).SingleOrDefaultAsync(ct);

    /// <summary>Agents keep tasks for themselves (or leave them open to anyone); Managers and Admins assign any active user.</summary>
    private static async Task<ProblemHttpResult?> AssigneeProblem(AppDbContext db, ClaimsPrincipal user, int? assigneeId, CancellationToken ct)
    {
        if (assigneeId is not { } id) return null;
        if (!user.SeesEverything() && id != user.GetUserId()) return ProblemResults.Forbidden("Only managers and admins assign tasks to others.");
        return await db.Users.AnyAsync(u => u.Id == id && u.IsActive, ct) ? null : ProblemResults.Invalid("assignee_id", $"No active user has id {id}.");
    }
}
