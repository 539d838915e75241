using EstateVoice.Server.Features.Storage;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Redis;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace EstateVoice.Server.Features.Outbound.Compliance;

/// <summary>
/// Keeps this node's <see cref="NationalDncRegistry"/> on the newest upload: at start, then every
/// <c>DNC_REGISTRY_POLL_SECONDS</c> (one indexed read of the newest upload's id), and at once when another node
/// announces an upload over Redis (<c>REDIS_URL</c>). The poll stays on with Redis: a missed message costs a delay only.
/// </summary>
public sealed class RegistryLoader(IServiceScopeFactory scopes, NationalDncRegistry registry, IBlobStore blobs, IOptions<DialComplianceOptions> options,
    TimeProvider time, ILogger<RegistryLoader> logger, RedisNode? redis = null) : BackgroundService
{
    public const string Channel = "dnc-registry";
    private readonly SemaphoreSlim _loading = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (redis is not null) await SubscribeAsync(redis, stoppingToken);
        using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RegistryPollSeconds), time);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not refresh the national Do-Not-Call registry; keeping the {Count} numbers loaded", registry.Count);
            }
        }
        while (await ticks.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Loads the newest upload when it is not the one in memory. True when something new was loaded.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var newest = await db.Set<DncRegistryUpload>().AsNoTracking().OrderByDescending(u => u.Id)
                .Select(u => new { u.Id, u.BlobName }).FirstOrDefaultAsync(cancellationToken);
            if (newest is null || newest.Id == registry.UploadId) return false;
            await using var blob = await blobs.OpenReadAsync(newest.BlobName, cancellationToken)
                ?? throw new InvalidOperationException($"The registry upload {newest.Id} has no blob {newest.BlobName}.");
            var numbers = await NationalDncRegistry.FromStreamAsync(blob.Content, blob.Info.Length, cancellationToken);
            registry.Replace(numbers, newest.Id, time.GetUtcNow());
            logger.LogInformation("Loaded national Do-Not-Call registry upload {UploadId}: {Count} numbers", newest.Id, numbers.Length);
            return true;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Tells the other nodes to load now rather than at their next poll.</summary>
    public async Task AnnounceAsync()
    {
        if (redis is null) return;
        try
        {
            await redis.Subscriber.PublishAsync(redis.Channel(Channel), redis.NodeId);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not announce the registry upload over Redis; other nodes load it at their next poll");
        }
    }

    private async Task SubscribeAsync(RedisNode node, CancellationToken stoppingToken)
    {
        try
        {
            var queue = await node.Subscriber.SubscribeAsync(node.Channel(Channel));
            queue.OnMessage(async message =>
            {
                if ((string?)message.Message == node.NodeId) return;
                try { await RefreshAsync(stoppingToken); }
                catch (Exception ex) when (ex is not OperationCanceledException) { logger.LogWarning(ex, "Registry reload on announcement failed"); }
            });
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Not subscribed to registry announcements (Redis unreachable): uploads reach this node by the poll");
        }
    }
}
