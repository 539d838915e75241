using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json.Nodes;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

/// <summary>
/// Runs one claimed attempt at a logged event — inline right after the delivery was committed, or later from the
/// retry worker — and records how it went in the event log.
/// </summary>
public sealed class ElevenLabsEventRunner(
    IServiceScopeFactory scopes, ElevenLabsEventLogStore store, TimeProvider time, IMeterFactory meters, ILogger<ElevenLabsEventRunner> logger)
{
    private readonly Counter<long> outcomes = meters.Create(OperationsEndpoints.MeterName)
        .CreateCounter<long>("estatevoice.elevenlabs.webhook.outcomes", description: "ElevenLabs event processing attempts by type and outcome");

    public async Task<ProcessingOutcome> RunAsync(long id, int attempts, string rawPayload, ElevenLabsEvent? evt, CancellationToken cancellationToken)
    {
        if (evt is null)
        {
            var parsed = ElevenLabsPayloadParser.Parse(Encoding.UTF8.GetBytes(rawPayload));
            evt = parsed.Event;
            if (evt is null)
            {
                var failed = ProcessingOutcome.Permanent($"malformed payload: {parsed.Error}");
                await store.CompleteAsync(id, attempts, failed, null, cancellationToken);
                return failed;
            }
        }

        var outcome = await AttemptAsync(evt, cancellationToken);
        var stripped = outcome.AudioStoredAs is { } marker ? StripAudio(rawPayload, marker) : null;
        await store.CompleteAsync(id, attempts, outcome, stripped, cancellationToken);
        outcomes.Add(1, new("type", evt.Type), new("outcome", outcome.Kind.ToString().ToLowerInvariant()));
        if (outcome.Kind is OutcomeKind.Retryable or OutcomeKind.Permanent)
            logger.LogWarning("elevenlabs_event_not_processed {EventId} {EventType} attempt={Attempt} {Kind}: {Error}", id, evt.Type, attempts, outcome.Kind, outcome.Error);
        return outcome;
    }

    /// <summary>
    /// For events whose work is all in the database (transcription, call started/failed): the log row and the call
    /// updates commit in one transaction — one durable write per event. Null means a duplicate (nothing written).
    /// Every way out of the transaction other than its commit rolls it back (and so gives the SQLite write turn back).
    /// If the work throws, the event is logged pending on its own and handed to the ordinary path, so nothing is
    /// lost — unless the database is too busy to take the write at all: that is for the sender to retry (503).
    /// </summary>
    public async Task<ProcessingOutcome?> RecordAndProcessAsync(ElevenLabsEvent evt, string rawPayload, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var processor = scope.ServiceProvider.GetRequiredService<PostCallProcessor>();
            // Any failure below abandons the whole transaction, so SaveChanges' automatic savepoint (two more round
            // trips per event) would never be rolled back to.
            db.Database.AutoSavepointsEnabled = false;
            var outcome = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                db.ChangeTracker.Clear();
                var row = store.NewClaimed(evt, rawPayload);
                (row.ProcessingState, row.ProcessedAt, row.NextAttemptAt) = (WebhookProcessingState.Processed, time.GetUtcNow(), null);
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                try
                {
                    if (!await EventLogInsert.TryInsertAsync(db, row, cancellationToken))
                    {
                        await transaction.RollbackAsync(CancellationToken.None);
                        return null;
                    }
                    var result = await processor.ProcessAsync(evt, cancellationToken);
                    if (result.Kind != OutcomeKind.Processed)
                    {
                        var state = result.Kind == OutcomeKind.Ignored ? WebhookProcessingState.Ignored : WebhookProcessingState.Failed;
                        // A retryable outcome here would need the worker: let the ordinary path record it instead.
                        if (result.Kind == OutcomeKind.Retryable) throw new InvalidOperationException(result.Error);
                        await db.ElevenLabsEventLogs.Where(e => e.Id == row.Id)
                            .ExecuteUpdateAsync(u => u.SetProperty(e => e.ProcessingState, state).SetProperty(e => e.LastError, result.Error), cancellationToken);
                    }
                    await transaction.CommitAsync(cancellationToken);
                    return result;
                }
                catch
                {
                    await RollBackQuietlyAsync(transaction);
                    throw;
                }
            });
            if (outcome is not null) outcomes.Add(1, new("type", evt.Type), new("outcome", outcome.Kind.ToString().ToLowerInvariant()));
            return outcome;
        }
        catch (Exception e) when (SqliteWriteGate.FindTimeout(e) is null && (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("elevenlabs_event_fast_path_failed {EventType} {EventKey}: {Error}", evt.Type, evt.EventKey, e.InnerException?.Message ?? e.Message);
            var row = store.NewClaimed(evt, rawPayload);
            if (!await store.TryAddAsync(row, cancellationToken)) return null;
            return await RunAsync(row.Id, row.Attempts, rawPayload, evt, cancellationToken);
        }
    }

    /// <summary>A failed rollback (the connection broke, the commit half-failed) must not hide the error that led to it; dispose still ends the transaction.</summary>
    private async Task RollBackQuietlyAsync(IDbContextTransaction transaction)
    {
        try { await transaction.RollbackAsync(CancellationToken.None); }
        catch (Exception e) { logger.LogDebug("elevenlabs_event_rollback_failed: {Error}", e.Message); }
    }

    private async Task<ProcessingOutcome> AttemptAsync(ElevenLabsEvent evt, CancellationToken cancellationToken)
    {
        for (var conflicts = 0; ; conflicts++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var processor = scope.ServiceProvider.GetRequiredService<PostCallProcessor>();
            try
            {
                return await processor.ProcessAsync(evt, cancellationToken);
            }
            catch (Exception e) when (conflicts < 3 && (e is DbUpdateException || ElevenLabsEventLogStore.IsUniqueViolation(e)))
            {
                // Two events for one call raced (both created the row, or both merged it): a fresh look resolves it.
                logger.LogInformation("elevenlabs_event_write_conflict {EventType} {EventKey}: {Error}", evt.Type, evt.EventKey, e.InnerException?.Message ?? e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogError(e, "elevenlabs_event_processing_failed {EventType} {EventKey}", evt.Type, evt.EventKey);
                return ProcessingOutcome.Retryable(e.InnerException?.Message ?? e.Message);
            }
        }
    }

    private static string? StripAudio(string rawPayload, string marker)
    {
        if (JsonNode.Parse(rawPayload) is not JsonObject root || root["data"] is not JsonObject data) return null;
        foreach (var name in new[] { "full_audio", "audio", "audio_base64" })
            if (data.ContainsKey(name)) data[name] = marker;
        return root.ToJsonString();
    }
}
