namespace EstateVoice.Server.Infrastructure.Jobs;

public enum JobState { Pending, Running, Done, Failed }

/// <summary>
/// One unit of background work, durable: the row is the truth, so a job survives restarts and node deaths. Its
/// (kind, key) is unique, so enqueueing the same work twice (a retried webhook, two nodes finalising one call) is one job.
/// </summary>
public sealed class Job
{
    public const int MaxKind = 64;
    public const int MaxKey = 128;
    public const int MaxError = 2000;

    public long Id { get; set; }
    /// <summary>Which <see cref="IJobHandler"/> runs it, e.g. <c>call-analysis</c>.</summary>
    public required string Kind { get; set; }
    /// <summary>What it works on, in the handler's terms (a call id).</summary>
    public required string Key { get; set; }
    public JobState State { get; set; }
    /// <summary>Claims so far, the current one included.</summary>
    public int Attempts { get; set; }
    /// <summary>When a pending job may next be claimed.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }
    /// <summary>The node running it while <see cref="JobState.Running"/>.</summary>
    public string? ClaimedBy { get; set; }
    /// <summary>Past this, the claimant is presumed dead and any node may take the job over.</summary>
    public DateTimeOffset? ClaimExpiresAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}
