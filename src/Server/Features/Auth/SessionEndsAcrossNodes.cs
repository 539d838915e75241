using System.Globalization;
using EstateVoice.Server.Infrastructure.Redis;
using StackExchange.Redis;

namespace EstateVoice.Server.Features.Auth;

/// <summary>
/// Carries <see cref="SessionEnds"/> to the other nodes over Redis pub/sub: a user revoked on node A loses their hub
/// connections on node B within a round trip, not at B's next periodic check (which stays, for changes made straight
/// in the database, and for a message lost while Redis was away). Runs only when <c>REDIS_URL</c> is set.
/// </summary>
internal sealed class SessionEndsAcrossNodes(SessionEnds sessionEnds, ILogger<SessionEndsAcrossNodes> logger, RedisNode? redis = null) : IHostedService
{
    private const string ChannelName = "session-ends";
    // Not disposed: it has no timer, and the host may stop this service after the container disposed it (a test
    // host disposed before it was stopped), when a disposed source would throw.
    private readonly CancellationTokenSource stopping = new();
    private Task subscribing = Task.CompletedTask;
    private ChannelMessageQueue? queue;

    public static async Task PublishAsync(RedisNode redis, int userId, ILogger logger)
    {
        try
        {
            await redis.Subscriber.PublishAsync(redis.Channel(ChannelName),
                $"{redis.NodeId}:{userId.ToString(CultureInfo.InvariantCulture)}").ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning(e, "Other nodes will close user {UserId}'s connections at their periodic check: Redis is unreachable", userId);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // In the background: a node starts (and serves calls) while Redis is away; once subscribed, the multiplexer
        // subscribes again by itself after every reconnect.
        if (redis is not null) subscribing = Task.Run(() => SubscribeAsync(redis, stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task SubscribeAsync(RedisNode node, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                queue = await node.Subscriber.SubscribeAsync(node.Channel(ChannelName)).ConfigureAwait(false);
                queue.OnMessage(OnMessageAsync);
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                logger.LogWarning(e, "Not yet subscribed to session ends from other nodes: Redis is unreachable; trying again");
                try { await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task OnMessageAsync(ChannelMessage message)
    {
        var text = (string?)message.Message;
        var parts = text?.Split(':');
        if (parts is not [var origin, var id] || origin == redis!.NodeId
            || !int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
            return;
        try
        {
            await sessionEnds.EndHereAsync(userId).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Closing user {UserId}'s connections on this node failed; the periodic check will", userId);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await subscribing.ConfigureAwait(false);
        if (queue is null) return;
        try
        {
            await queue.UnsubscribeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is ObjectDisposedException or StackExchange.Redis.RedisException)
        {
            // The connection closed first (shutdown order is not ours to choose): its subscriptions went with it.
        }
    }
}
