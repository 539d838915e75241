using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using EstateVoice.Server.Infrastructure.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Webhooks.Outgoing;

public sealed record WebhookDeliveryItem(
    long Id, string EventId, string EventType, int? CallId, string Url, WebhookDeliveryStatus Status, int Attempts,
    int? LastResponseCode, string? LastError, DateTimeOffset? NextAttemptAt, DateTimeOffset? LastAttemptAt,
    DateTimeOffset? DeliveredAt, DateTimeOffset CreatedAt);

public sealed record WebhookDeliveryPage(IReadOnlyList<WebhookDeliveryItem> Items, int Total, int Page, int PageSize);

/// <summary>Admins see every outgoing webhook delivery and can queue a fresh attempt of one.</summary>
public static class WebhookDeliveriesAdminApi
{
    public static IEndpointRouteBuilder MapWebhookDeliveriesAdminApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/webhook-deliveries").RequireAuthorization(Policies.Admin).WithTags("Admin");
        group.MapGet("/", ListAsync).WithSummary("Outgoing webhook deliveries, newest first");
        group.MapPost("/{id:long}/redeliver", RedeliverAsync).WithSummary("Queue a fresh attempt of a delivery");
        return app;
    }

    private static async Task<Results<Ok<WebhookDeliveryPage>, ValidationProblem>> ListAsync(
        AppDbContext db, CancellationToken cancellationToken, string? status = null,
        int page = 1, [FromQuery(Name = "page_size")] int pageSize = 50)
    {
        if (page is < 1 or > PageQuery.MaxPage) return Problems.Validation("page", $"page must be between 1 and {PageQuery.MaxPage}.");
        if (pageSize is < 1 or > 200) return Problems.Validation("page_size", "page_size must be between 1 and 200.");
        var query = db.WebhookDeliveries.AsNoTracking();
        if (status is not null)
        {
            if (!Enum.TryParse<WebhookDeliveryStatus>(status, ignoreCase: true, out var parsed) || int.TryParse(status, out _))
                return Problems.Validation("status", "status must be one of pending, delivered, failed.");
            query = query.Where(d => d.Status == parsed);
        }
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).Select(Item).ToListAsync(cancellationToken);
        return TypedResults.Ok(new WebhookDeliveryPage(items, total, page, pageSize));
    }

    /// <summary>
    /// Pending again, due now, with a fresh attempt budget (the row's attempt count keeps growing: it is the history).
    /// 409 while an attempt is in flight.
    /// </summary>
    private static async Task<Results<Accepted<WebhookDeliveryItem>, ProblemHttpResult>> RedeliverAsync(
        long id, AppDbContext db, JobStore jobs, TimeProvider time, CancellationToken cancellationToken)
    {
        var key = await db.WebhookDeliveries.Where(d => d.Id == id).Select(d => d.DeliveryKey).SingleOrDefaultAsync(cancellationToken);
        if (key is null) return Problems.NotFound("Webhook delivery");
        if (await db.Jobs.AnyAsync(j => j.Kind == WebhookDeliveryJob.Kind && j.Key == key && j.State == JobState.Running, cancellationToken))
            return Problems.Conflict("An attempt of this delivery is in progress.");
        // The row first, then the job: a job woken before the row said pending would find it delivered and stop.
        var now = time.GetUtcNow();
        await db.WebhookDeliveries.Where(d => d.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, WebhookDeliveryStatus.Pending).SetProperty(d => d.NextAttemptAt, now)
            .SetProperty(d => d.DeliveredAt, (DateTimeOffset?)null).SetProperty(d => d.UpdatedAt, now), cancellationToken);
        await jobs.RequeueAsync(WebhookDeliveryJob.Kind, key, cancellationToken);
        var item = await db.WebhookDeliveries.AsNoTracking().Where(d => d.Id == id).Select(Item).SingleAsync(cancellationToken);
        return TypedResults.Accepted($"/admin/webhook-deliveries?status=pending", item);
    }

    private static readonly System.Linq.Expressions.Expression<Func<WebhookDelivery, WebhookDeliveryItem>> Item = d => new WebhookDeliveryItem(
        d.Id, d.EventId, d.EventType, d.CallId, d.Url, d.Status, d.Attempts, d.LastResponseCode, d.LastError, d.NextAttemptAt,
        d.LastAttemptAt, d.DeliveredAt, d.CreatedAt);
}
