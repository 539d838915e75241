using EstateVoice.Server.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

/// <summary>
/// The event log is both the durable inbox and the idempotency guard: the unique (call SID, type, timestamp) index
/// decides which of several identical deliveries is recorded, and conditional UPDATEs decide which node works on
/// a pending event, so several server nodes on one PostgreSQL never process an event twice at once.
/// </summary>
public sealed class ElevenLabsEventLogStore(IServiceScopeFactory scopes, SqliteWriteGate gate, ElevenLabsOptions options, TimeProvider time)
{
    /// <summary>Commits <paramref name="row"/>; false when an identical event is already logged (nothing written).</summary>
    public async Task<bool> TryAddAsync(ElevenLabsEventLog row, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        using var _ = await gate.EnterAsync(db, cancellationToken);
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(() => EventLogInsert.TryInsertAsync(db, row, cancellationToken));
    }

    /// <summary>A new row that is already claimed by its receiver (attempt 1, leased), so no worker races the inline run.</summary>
    public ElevenLabsEventLog NewClaimed(ElevenLabsEvent evt, string rawPayload)
    {
        var now = time.GetUtcNow();
        return new ElevenLabsEventLog
        {
            CallSid = evt.EventKey, EventType = evt.Type, EventTimestamp = evt.EventTimestamp, ConversationId = evt.ConversationId,
            ReceivedAt = now, RawPayload = rawPayload, ProcessingState = WebhookProcessingState.Pending,
            Attempts = 1, NextAttemptAt = now + options.ProcessingLease,
        };
    }

    /// <summary>Claims up to <paramref name="limit"/> due pending events: one conditional UPDATE each, so a row goes to one claimant.</summary>
    public async Task<IReadOnlyList<(long Id, int Attempts)>> ClaimDueAsync(int limit, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();
        var due = await db.ElevenLabsEventLogs.AsNoTracking()
            .Where(e => e.ProcessingState == WebhookProcessingState.Pending && e.NextAttemptAt <= now)
            .OrderBy(e => e.NextAttemptAt).Take(limit)
            .Select(e => new { e.Id, e.Attempts }).ToListAsync(cancellationToken);
        var claimed = new List<(long, int)>();
        foreach (var row in due)
        {
            var updated = await db.ElevenLabsEventLogs
                .Where(e => e.Id == row.Id && e.ProcessingState == WebhookProcessingState.Pending && e.Attempts == row.Attempts && e.NextAttemptAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Attempts, row.Attempts + 1).SetProperty(e => e.NextAttemptAt, now + options.ProcessingLease), cancellationToken);
            if (updated == 1) claimed.Add((row.Id, row.Attempts + 1));
        }
        return claimed;
    }

    public async Task<string?> GetPayloadAsync(long id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.ElevenLabsEventLogs.Where(e => e.Id == id).Select(e => e.RawPayload).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Records how attempt <paramref name="attempts"/> went. A failure is written only while that attempt still owns
    /// the row (nobody re-claimed it after a lease expiry); success is always written.
    /// </summary>
    public async Task CompleteAsync(long id, int attempts, ProcessingOutcome outcome, string? strippedPayload, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();
        var row = db.ElevenLabsEventLogs.Where(e => e.Id == id && e.ProcessingState == WebhookProcessingState.Pending);
        var error = outcome.Error is { Length: > 2000 } e ? e[..2000] : outcome.Error;
        switch (outcome.Kind)
        {
            case OutcomeKind.Processed or OutcomeKind.Ignored:
                var state = outcome.Kind == OutcomeKind.Processed ? WebhookProcessingState.Processed : WebhookProcessingState.Ignored;
                if (strippedPayload is { } stripped)
                    await row.ExecuteUpdateAsync(s => s.SetProperty(e => e.ProcessingState, state).SetProperty(e => e.ProcessedAt, now)
                        .SetProperty(e => e.NextAttemptAt, (DateTimeOffset?)null).SetProperty(e => e.LastError, error).SetProperty(e => e.RawPayload, stripped), cancellationToken);
                else
                    await row.ExecuteUpdateAsync(s => s.SetProperty(e => e.ProcessingState, state).SetProperty(e => e.ProcessedAt, now)
                        .SetProperty(e => e.NextAttemptAt, (DateTimeOffset?)null).SetProperty(e => e.LastError, error), cancellationToken);
                break;
            case OutcomeKind.Permanent:
                await row.Where(e => e.Attempts == attempts).ExecuteUpdateAsync(s => s.SetProperty(e => e.ProcessingState, WebhookProcessingState.Failed)
                    .SetProperty(e => e.NextAttemptAt, (DateTimeOffset?)null).SetProperty(e => e.LastError, error), cancellationToken);
                break;
            default:
                var exhausted = attempts >= options.MaxAttempts;
                DateTimeOffset? next = exhausted ? null : now + RetryDelay(attempts);
                await row.Where(e => e.Attempts == attempts).ExecuteUpdateAsync(s => s
                    .SetProperty(e => e.ProcessingState, exhausted ? WebhookProcessingState.Failed : WebhookProcessingState.Pending)
                    .SetProperty(e => e.NextAttemptAt, next).SetProperty(e => e.LastError, error), cancellationToken);
                break;
        }
    }

    /// <summary>10 s, 20 s, 40 s … capped: storage or ElevenLabs outages get time to recover without hammering them.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(options.RetryBaseDelay.Ticks * factor, options.MaxRetryDelay.Ticks));
        return delay < options.RetryBaseDelay ? options.RetryBaseDelay : delay;
    }

    /// <summary>A unique index refused the write, whether it came through SaveChanges or hand-built SQL.</summary>
    public static bool IsUniqueViolation(Exception exception) => DbErrors.IsUniqueViolation(exception);
}
