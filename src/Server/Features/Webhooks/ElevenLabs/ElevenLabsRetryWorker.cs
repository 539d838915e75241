using System.Threading.Channels;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

/// <summary>Wakes the retry worker now (an Admin pressed retry) instead of at its next poll.</summary>
public sealed class ElevenLabsRetrySignal
{
    private readonly Channel<bool> channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => channel.Writer.TryWrite(true);

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await channel.Reader.WaitToReadAsync(cancellationToken);
        channel.Reader.TryRead(out _);
    }
}

/// <summary>
/// Retries pending events with backoff until they land or run out of attempts. Every node runs one; rows are
/// claimed one conditional UPDATE at a time, so nodes sharing a database never work on the same event at once.
/// </summary>
public sealed class ElevenLabsRetryWorker(
    ElevenLabsEventLogStore store, ElevenLabsEventRunner runner, ElevenLabsRetrySignal signal, ElevenLabsOptions options,
    TimeProvider time, ILogger<ElevenLabsRetryWorker> logger) : BackgroundService
{
    private const int BatchSize = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RunDueAsync(stoppingToken) == BatchSize) { }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be briefly unreachable; the events stay pending and the next poll tries again.
                logger.LogError(e, "elevenlabs_retry_worker_failed");
            }
            try
            {
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                await Task.WhenAny(Task.Delay(options.WorkerPollInterval, time, wake.Token), signal.WaitAsync(wake.Token));
                await wake.CancelAsync();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Claims and runs the events due now; returns how many it took.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var claimed = await store.ClaimDueAsync(BatchSize, cancellationToken);
        foreach (var (id, attempts) in claimed)
        {
            var payload = await store.GetPayloadAsync(id, cancellationToken);
            if (payload is null) continue;
            logger.LogInformation("elevenlabs_event_retry {EventId} attempt={Attempt}", id, attempts);
            await runner.RunAsync(id, attempts, payload, null, cancellationToken);
        }
        return claimed.Count;
    }
}
