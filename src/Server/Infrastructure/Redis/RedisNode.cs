using StackExchange.Redis;

namespace EstateVoice.Server.Infrastructure.Redis;

/// <summary>
/// This node's link to the Redis that nodes share (<c>REDIS_URL</c>): one multiplexer for the rate limits,
/// data-protection keys and pub/sub (the SignalR backplane opens its own). Every key and channel starts with
/// <see cref="Prefix"/> (<c>Redis:KeyPrefix</c>), so deployments — or tests — can share one Redis without meeting.
/// Registered only when <c>REDIS_URL</c> is set; without it every node-shared piece falls back to in-process state.
/// </summary>
public sealed class RedisNode : IAsyncDisposable
{
    private readonly Lazy<ConnectionMultiplexer> connection;

    public RedisNode(ConfigurationOptions configuration, string prefix)
    {
        Configuration = configuration;
        Prefix = prefix;
        // AbortOnConnectFail is off (RedisConfiguration): this returns at once and the multiplexer keeps retrying,
        // so a Redis that is down at start-up slows nothing; commands fail (and callers fall back) until it is up.
        connection = new Lazy<ConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(configuration.Clone()));
    }

    public ConfigurationOptions Configuration { get; }
    public string Prefix { get; }
    /// <summary>Tells this node's own pub/sub messages from other nodes'.</summary>
    public string NodeId { get; } = Guid.NewGuid().ToString("N");

    public IConnectionMultiplexer Connection => connection.Value;
    public IDatabase Database => Connection.GetDatabase();
    public ISubscriber Subscriber => Connection.GetSubscriber();

    public RedisKey Key(string name) => Prefix + name;
    public RedisChannel Channel(string name) => RedisChannel.Literal(Prefix + name);

    public async ValueTask DisposeAsync()
    {
        if (connection.IsValueCreated) await connection.Value.DisposeAsync().ConfigureAwait(false);
    }
}
