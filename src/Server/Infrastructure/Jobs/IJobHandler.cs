namespace EstateVoice.Server.Infrastructure.Jobs;

/// <summary>
/// Runs one kind of job. Resolved in a scope of its own per run, so it may take scoped services (a DbContext).
/// Throwing fails the attempt (retried with backoff); returning completes the job. A handler must be idempotent:
/// a node that dies after the work but before recording it leaves the job to run again elsewhere.
/// </summary>
public interface IJobHandler
{
    Task RunAsync(JobRun run, CancellationToken cancellationToken);
}

/// <param name="Attempt">1 for the first run.</param>
public sealed record JobRun(long Id, string Kind, string Key, int Attempt, int MaxAttempts)
{
    public bool IsLastAttempt => Attempt >= MaxAttempts;
}

/// <summary>A kind this node can run (registered with its handler); nodes claim only the kinds they know.</summary>
public sealed record JobKind(string Name);

/// <summary>A job that runs every <paramref name="Every"/> on one node of the cluster (armed by every node's runner).</summary>
public sealed record RecurringJob(string Kind, TimeSpan Every)
{
    public const string Key = "recurring";
}

/// <summary>A failure that retrying cannot fix (the call was deleted): the job fails at once, not after every attempt.</summary>
public sealed class PermanentJobFailureException(string message) : Exception(message);
