using System.ComponentModel.DataAnnotations;

namespace EstateVoice.Server.Infrastructure.Jobs;

/// <summary>Section <c>Jobs</c> (env <c>Jobs__MaxAttempts</c> etc.): how each node's job worker polls, claims and retries.</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>How often a node looks for due jobs when nothing woke it (a local enqueue wakes it at once).</summary>
    [Range(1, 3600)] public int PollSeconds { get; set; } = 5;

    /// <summary>How long a claim lasts; a job still running past it is presumed orphaned (its node died) and taken over.</summary>
    [Range(10, 86400)] public int ClaimSeconds { get; set; } = 300;

    /// <summary>Attempts before a job is given up as failed.</summary>
    [Range(1, 100)] public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry's delay; each later one doubles, up to <see cref="MaxRetryDelaySeconds"/>.</summary>
    [Range(1, 86400)] public int RetryBaseDelaySeconds { get; set; } = 10;

    [Range(1, 86400)] public int MaxRetryDelaySeconds { get; set; } = 3600;

    public TimeSpan PollInterval => TimeSpan.FromSeconds(PollSeconds);
    public TimeSpan Claim => TimeSpan.FromSeconds(ClaimSeconds);

    /// <summary>10 s, 20 s, 40 s … capped at the maximum: a failing dependency gets time to recover without being hammered.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        return TimeSpan.FromSeconds(Math.Min(RetryBaseDelaySeconds * factor, Math.Max(MaxRetryDelaySeconds, RetryBaseDelaySeconds)));
    }
}
