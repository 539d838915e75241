using System.Diagnostics;
using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace EstateVoice.Server.Infrastructure.Redis;

/// <summary>
/// A fixed-window limit counted in Redis, so N nodes admit <c>permitLimit</c> per window between them, not N times
/// it. One round trip per request: a Lua script increments the window's counter, starts its expiry on the first
/// hit, and returns the count and the time left. While Redis cannot be reached the node counts in process (the
/// limit then holds per node, as it did before Redis) rather than letting everything through or refusing everything.
/// </summary>
internal sealed class RedisFixedWindowRateLimiter : RateLimiter
{
    private const string Script = """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end
        return { count, ttl }
        """;

    private readonly RedisNode redis;
    private readonly RedisKey key;
    private readonly int permitLimit;
    private readonly TimeSpan window;
    private readonly ILogger logger;
    private readonly FixedWindowRateLimiter fallback;
    private long lastUsed = Stopwatch.GetTimestamp();

    public RedisFixedWindowRateLimiter(RedisNode redis, string key, int permitLimit, TimeSpan window, ILogger logger)
    {
        this.redis = redis;
        this.key = redis.Key(key);
        this.permitLimit = permitLimit;
        this.window = window;
        this.logger = logger;
        fallback = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions { PermitLimit = permitLimit, Window = window, QueueLimit = 0 });
    }

    /// <summary>Lets the partitioned limiter drop this partition (one per client IP) once it has gone quiet.</summary>
    public override TimeSpan? IdleDuration => Stopwatch.GetElapsedTime(Volatile.Read(ref lastUsed));

    public override RateLimiterStatistics? GetStatistics() => null;

    /// <summary>The synchronous attempt never blocks on Redis: it declines, and the middleware asks <see cref="AcquireAsyncCore"/>.</summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Lease.NotDecided;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Volatile.Write(ref lastUsed, Stopwatch.GetTimestamp());
        if (permitCount == 0) return Lease.Granted;
        try
        {
            var result = (RedisResult[])(await redis.Database.ScriptEvaluateAsync(Script, [key],
                [(long)window.TotalMilliseconds]).WaitAsync(cancellationToken).ConfigureAwait(false))!;
            var count = (long)result[0];
            return count <= permitLimit ? Lease.Granted : Lease.Refused(TimeSpan.FromMilliseconds((long)result[1]));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning(e, "Rate limit {Key} counted on this node only: Redis is unreachable", (string?)key);
            return await fallback.AcquireAsync(permitCount, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) fallback.Dispose();
        base.Dispose(disposing);
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);
        public static readonly Lease NotDecided = new(false, null);
        public static Lease Refused(TimeSpan retryAfter) => new(false, retryAfter);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
