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

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (redis is null) return;
        queue = await redis.Subscriber.SubscribeAsync(redis.Channel(ChannelName)).ConfigureAwait(false);
        queue.OnMessage(OnMessageAsync);
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
        if (queue is not null) await queue.UnsubscribeAsync().ConfigureAwait(false);
    }
}
