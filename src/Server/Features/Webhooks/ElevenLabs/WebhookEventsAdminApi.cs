using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

public sealed record WebhookEventItem(
    long Id, string CallSid, string EventType, long EventTimestamp, string? ConversationId, DateTimeOffset ReceivedAt,
    WebhookProcessingState ProcessingState, int Attempts, string? LastError, DateTimeOffset? NextAttemptAt, DateTimeOffset? ProcessedAt);

public sealed record WebhookEventDetail(WebhookEventItem Event, string RawPayload);

public sealed record WebhookEventPage(IReadOnlyList<WebhookEventItem> Items, int Total, int Page, int PageSize);

/// <summary>Admins see every stored ElevenLabs delivery (failed ones above all) and can send one back through processing.</summary>
public static class WebhookEventsAdminApi
{
    public static IEndpointRouteBuilder MapWebhookEventsAdminApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/webhook-events").RequireAuthorization(Policies.Admin).WithTags("Admin");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:long}", GetAsync);
        group.MapPost("/{id:long}/retry", RetryAsync);
        return app;
    }

    private static async Task<Results<Ok<WebhookEventPage>, ValidationProblem>> ListAsync(
        AppDbContext db, CancellationToken cancellationToken, string? state = null,
        [FromQuery(Name = "event_type")] string? eventType = null, [FromQuery(Name = "call_sid")] string? callSid = null,
        int page = 1, [FromQuery(Name = "page_size")] int pageSize = 50)
    {
        if (page is < 1 or > PageQuery.MaxPage) return Problems.Validation("page", $"page must be between 1 and {PageQuery.MaxPage}.");
        if (pageSize is < 1 or > 200) return Problems.Validation("page_size", "page_size must be between 1 and 200.");
        var query = db.ElevenLabsEventLogs.AsNoTracking();
        if (state is not null)
        {
            if (!Enum.TryParse<WebhookProcessingState>(state, ignoreCase: true, out var parsed) || int.TryParse(state, out _))
                return Problems.Validation("state", "state must be one of pending, processed, failed, ignored.");
            query = query.Where(e => e.ProcessingState == parsed);
        }
        if (eventType is not null) query = query.Where(e => e.EventType == eventType);
        if (callSid is not null) query = query.Where(e => e.CallSid == callSid || e.ConversationId == callSid);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(e => e.ReceivedAt).ThenByDescending(e => e.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).Select(Item).ToListAsync(cancellationToken);
        return TypedResults.Ok(new WebhookEventPage(items, total, page, pageSize));
    }

    private static async Task<Results<Ok<WebhookEventDetail>, ProblemHttpResult>> GetAsync(long id, AppDbContext db, CancellationToken cancellationToken)
    {
        var row = await db.ElevenLabsEventLogs.AsNoTracking().Where(e => e.Id == id)
            .Select(e => new
            {
                Item = new WebhookEventItem(e.Id, e.CallSid, e.EventType, e.EventTimestamp, e.ConversationId, e.ReceivedAt,
                e.ProcessingState, e.Attempts, e.LastError, e.NextAttemptAt, e.ProcessedAt), e.RawPayload
            })
            .SingleOrDefaultAsync(cancellationToken);
        return row is null ? Problems.NotFound("Webhook event") : TypedResults.Ok(new WebhookEventDetail(row.Item, row.RawPayload));
    }

    /// <summary>Back to pending with a fresh attempt budget, due now; the worker is woken so it happens at once.</summary>
    private static async Task<Results<Accepted<WebhookEventItem>, ProblemHttpResult>> RetryAsync(
        long id, AppDbContext db, TimeProvider time, ElevenLabsRetrySignal signal, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var updated = await db.ElevenLabsEventLogs.Where(e => e.Id == id && e.ProcessingState != WebhookProcessingState.Processed)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ProcessingState, WebhookProcessingState.Pending)
                .SetProperty(e => e.Attempts, 0).SetProperty(e => e.NextAttemptAt, now), cancellationToken);
        var item = await db.ElevenLabsEventLogs.AsNoTracking().Where(e => e.Id == id).Select(Item).SingleOrDefaultAsync(cancellationToken);
        if (item is null) return Problems.NotFound("Webhook event");
        if (updated == 0) return Problems.Conflict("The event was already processed.");
        signal.Wake();
        return TypedResults.Accepted($"/admin/webhook-events/{id}", item);
    }

    private static readonly System.Linq.Expressions.Expression<Func<ElevenLabsEventLog, WebhookEventItem>> Item = e => new WebhookEventItem(
        e.Id, e.CallSid, e.EventType, e.EventTimestamp, e.ConversationId, e.ReceivedAt, e.ProcessingState, e.Attempts, e.LastError, e.NextAttemptAt, e.ProcessedAt);
}
