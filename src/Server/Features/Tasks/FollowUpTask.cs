using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using System.Security.Claims;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EstateVoice.Server.Features.Tasks;

/// <summary>A follow-up someone has to do (call back, send listings), on a lead or free-standing.</summary>
public sealed class FollowUpTask
{
    public const int MaxTitle = 200;

    public int Id { get; set; }
    public required string Title { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public int? AssigneeId { get; set; }
    public User? Assignee { get; set; }
    public int? LeadId { get; set; }
    public Lead? Lead { get; set; }
    public bool Done { get; set; }
    public DateTimeOffset? DoneAt { get; set; }
    /// <summary>Who made it; null when the voice agent did (a caller asking for a callback).</summary>
    public int? CreatedById { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>A callback a caller asked the voice agent for: due now, for the lead's agent (or whoever picks it up).</summary>
    public static FollowUpTask Callback(Lead lead, string message, DateTimeOffset now) => new()
    {
        Title = message.Length > MaxTitle ? message[..(MaxTitle - 1)] + "…" : message,
        Lead = lead, AssigneeId = lead.AssignedAgentId, DueAt = now, CreatedAt = now, UpdatedAt = now,
    };
}

internal sealed class FollowUpTaskConfiguration : IEntityTypeConfiguration<FollowUpTask>
{
    public void Configure(EntityTypeBuilder<FollowUpTask> task)
    {
        task.ToTable("FollowUpTasks");
        task.Property(t => t.Title).HasMaxLength(FollowUpTask.MaxTitle);
        task.HasOne(t => t.Assignee).WithMany().HasForeignKey(t => t.AssigneeId).OnDelete(DeleteBehavior.SetNull);
        task.HasOne(t => t.Lead).WithMany().HasForeignKey(t => t.LeadId).OnDelete(DeleteBehavior.Cascade);
        task.HasIndex(t => new { t.AssigneeId, t.Done, t.DueAt });
        task.HasIndex(t => t.LeadId);
    }
}

/// <summary>
/// Which tasks a user may see and change: Managers and Admins all; an Agent those assigned to them and those on
/// leads assigned to them (another agent's task answers 404, as leads do).
/// </summary>
public static class TaskAccess
{
    public static IQueryable<FollowUpTask> VisibleTo(this IQueryable<FollowUpTask> tasks, ClaimsPrincipal user)
    {
        if (user.SeesEverything()) return tasks;
        var userId = user.GetUserId();
        return tasks.Where(t => t.AssigneeId == userId || (t.Lead != null && t.Lead.AssignedAgentId == userId));
    }
}

public sealed record TaskRequest(
    [property: Required, MinLength(1), MaxLength(FollowUpTask.MaxTitle)] string Title,
    DateTimeOffset? DueAt,
    int? AssigneeId,
    int? LeadId);

/// <summary>PATCH body: only the fields present change; <c>clear_due_at</c>/<c>unassign</c> remove a value.</summary>
public sealed record TaskPatch(
    [property: MinLength(1), MaxLength(FollowUpTask.MaxTitle)] string? Title,
    DateTimeOffset? DueAt,
    int? AssigneeId,
    bool? Done,
    bool? ClearDueAt,
    bool? Unassign);

public sealed record TaskResponse(
    int Id, string Title, DateTimeOffset? DueAt, bool Overdue, int? AssigneeId, string? AssigneeName, int? LeadId, string? LeadName,
    bool Done, DateTimeOffset? DoneAt, DateTimeOffset CreatedAt)
{
    public static Expression<Func<FollowUpTask, TaskResponse>> Projection(DateTimeOffset now) => t => new TaskResponse(
        t.Id, t.Title, t.DueAt, !t.Done && t.DueAt != null && t.DueAt < now, t.AssigneeId, t.Assignee != null ? t.Assignee.Name : null,
        t.LeadId, t.Lead != null ? t.Lead.Name : null, t.Done, t.DoneAt, t.CreatedAt);
}

/// <summary>One row of the team board: open and overdue tasks of an assignee (null: nobody's yet).</summary>
public sealed record TeamTaskCount(int? AssigneeId, string? AssigneeName, int Open, int Overdue);
