using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json.Nodes;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

/// <summary>
/// Runs one claimed attempt at a logged event — inline right after the delivery was committed, or later from the
/// retry worker — and records how it went in the event log.
/// </summary>
public sealed class ElevenLabsEventRunner(IServiceScopeFactory scopes, ElevenLabsEventLogStore store, IMeterFactory meters, ILogger<ElevenLabsEventRunner> logger)
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
            catch (DbUpdateException e) when (conflicts < 3)
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
