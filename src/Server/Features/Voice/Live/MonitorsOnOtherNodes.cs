using EstateVoice.Server.Infrastructure.Redis;
using StackExchange.Redis;

namespace EstateVoice.Server.Features.Voice.Live;

/// <summary>
/// Whether a <c>/hubs/calls</c> monitor is connected to some other node, so that a node with none of its own reads a
/// call for <c>callUpdated</c> only when someone anywhere will see it. Each node with monitors keeps an entry in a
/// Redis sorted set (score: when the entry lapses), renewed every <see cref="Heartbeat"/>; a node's first monitor is
/// also announced over pub/sub, so the other nodes know within a round trip rather than a heartbeat. Without
/// <c>REDIS_URL</c> there are no other nodes; while Redis is unreachable every node assumes monitors exist
/// (an update read for nobody costs one query, a lost one costs a stale screen).
/// </summary>
public sealed class MonitorsOnOtherNodes(CallsHubListeners listeners, TimeProvider time, ILogger<MonitorsOnOtherNodes> logger,
    RedisNode? redis = null) : BackgroundService
{
    private const string Name = "hub-monitors";
    internal static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);
    /// <summary>Three heartbeats: a node that died is forgotten, a slow one is not.</summary>
    private static readonly TimeSpan EntryLifetime = Heartbeat * 3;

    private long _elsewhereUntilTicks;

    public bool Any => redis is not null && time.GetUtcNow().UtcTicks < Volatile.Read(ref _elsewhereUntilTicks);

    /// <summary>Called when this node's first monitor connects: the others learn at once.</summary>
    internal async Task AnnounceAsync()
    {
        if (redis is null) return;
        try
        {
            await RenewAsync(redis, watching: true).ConfigureAwait(false);
            await redis.Subscriber.PublishAsync(redis.Channel(Name), redis.NodeId).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogDebug(e, "Could not announce this node's hub monitors; the other nodes read every call update meanwhile");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (redis is null) return;
        await SubscribeAsync(redis, stoppingToken).ConfigureAwait(false);
        using var ticks = new PeriodicTimer(Heartbeat, time);
        do
        {
            try
            {
                await RenewAsync(redis, listeners.Any).ConfigureAwait(false);
                var others = await redis.Database.SortedSetRangeByScoreWithScoresAsync(redis.Key(Name), start: Now())
                    .ConfigureAwait(false);
                var lastsUntil = others.Where(e => e.Element != redis.NodeId).Select(e => (long)e.Score).DefaultIfEmpty(0).Max();
                Volatile.Write(ref _elsewhereUntilTicks, lastsUntil > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(lastsUntil).UtcTicks : 0);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                Volatile.Write(ref _elsewhereUntilTicks, (time.GetUtcNow() + EntryLifetime).UtcTicks);
                logger.LogDebug(e, "Redis is unreachable: call updates are read as if other nodes had monitors");
            }
        }
        while (await ticks.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task RenewAsync(RedisNode node, bool watching)
    {
        var key = node.Key(Name);
        if (watching) await node.Database.SortedSetAddAsync(key, node.NodeId, Now() + EntryLifetime.TotalMilliseconds).ConfigureAwait(false);
        else await node.Database.SortedSetRemoveAsync(key, node.NodeId).ConfigureAwait(false);
        // Entries of nodes that died with monitors connected.
        await node.Database.SortedSetRemoveRangeByScoreAsync(key, double.NegativeInfinity, Now(), Exclude.Stop).ConfigureAwait(false);
    }

    private async Task SubscribeAsync(RedisNode node, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var queue = await node.Subscriber.SubscribeAsync(node.Channel(Name)).ConfigureAwait(false);
                queue.OnMessage(message =>
                {
                    if ((string?)message.Message != node.NodeId)
                        Volatile.Write(ref _elsewhereUntilTicks, (time.GetUtcNow() + EntryLifetime).UtcTicks);
                });
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // Until subscribed, updates are read as if monitors were connected elsewhere.
                Volatile.Write(ref _elsewhereUntilTicks, DateTimeOffset.MaxValue.UtcTicks);
                logger.LogDebug(e, "Not yet subscribed to hub-monitor announcements: Redis is unreachable; trying again");
                try { await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    private double Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
