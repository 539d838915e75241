using System.Security.Claims;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Notifications;

public sealed record NotificationResponse(long Id, NotificationKind Kind, string Title, string? Link, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt)
{
    public static NotificationResponse From(Notification n) => new(n.Id, n.Kind, n.Title, n.Link, n.CreatedAt, n.ReadAt);
}

/// <summary>A page of the bell's list plus the unread count the badge shows.</summary>
public sealed record NotificationsPage(IReadOnlyList<NotificationResponse> Items, int Total, int Page, int PageSize, int Unread);

public sealed record ReadAllResponse(int Marked);

/// <summary><c>/notifications</c>: each signed-in user's own notification centre (nobody sees another's).</summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/notifications").WithTags("Notifications").RequireAuthorization();

        group.MapGet("/", async Task<Results<Ok<NotificationsPage>, ValidationProblem>> (
            [AsParameters] PageQuery query, ClaimsPrincipal user, AppDbContext db, CancellationToken ct) =>
        {
            var errors = new QueryErrors();
            query.Validate(errors);
            if (errors.Any) return errors.ToProblem();
            var mine = db.Notifications.AsNoTracking().Where(n => n.UserId == user.GetUserId());
            // Unread first, then newest first.
            var page = await mine.OrderBy(n => n.ReadAt == null ? 0 : 1).ThenByDescending(n => n.Id)
                .Select(n => new NotificationResponse(n.Id, n.Kind, n.Title, n.Link, n.CreatedAt, n.ReadAt)).ToPageAsync(query, ct);
            var unread = await mine.CountAsync(n => n.ReadAt == null, ct);
            return TypedResults.Ok(new NotificationsPage(page.Items, page.Total, page.Page, page.PageSize, unread));
        });

        group.MapPost("/{id:long}/read", async Task<Results<NoContent, ProblemHttpResult>> (
            long id, ClaimsPrincipal user, AppDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var userId = user.GetUserId();
            var mine = db.Notifications.Where(n => n.Id == id && n.UserId == userId);
            if (!await mine.AnyAsync(ct)) return Problems.NotFound("Notification");
            var now = time.GetUtcNow();
            await mine.Where(n => n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
            return TypedResults.NoContent();
        });

        group.MapPost("/read-all", async (ClaimsPrincipal user, AppDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var userId = user.GetUserId();
            var now = time.GetUtcNow();
            var marked = await db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
            return TypedResults.Ok(new ReadAllResponse(marked));
        });
        return app;
    }
}
