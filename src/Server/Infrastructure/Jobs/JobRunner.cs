using System.Diagnostics;

namespace EstateVoice.Server.Infrastructure.Jobs;

/// <summary>Claims due jobs for a node and runs each with its kind's handler, recording how it went.</summary>
public sealed partial class JobRunner(
    JobStore store, IEnumerable<JobKind> kinds, IEnumerable<RecurringJob> recurring, IServiceScopeFactory scopes, ILogger<JobRunner> logger)
{
    private readonly RecurringJob[] _recurring = recurring.ToArray();
    public const int BatchSize = 10;
    private readonly string[] _kinds = kinds.Select(k => k.Name).Distinct().ToArray();

    /// <summary>Claims and runs the jobs due now as <paramref name="node"/>; returns how many it claimed.</summary>
    public async Task<int> RunDueAsync(string node, CancellationToken cancellationToken)
    {
        foreach (var job in _recurring) await store.ArmRecurringAsync(job.Kind, RecurringJob.Key, job.Every, cancellationToken);
        var claimed = await store.ClaimDueAsync(node, _kinds, BatchSize, cancellationToken);
        foreach (var run in claimed) await RunAsync(run, node, cancellationToken);
        return claimed.Count;
    }

    private async Task RunAsync(JobRun run, string node, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                var handler = scope.ServiceProvider.GetRequiredKeyedService<IJobHandler>(run.Kind);
                await handler.RunAsync(run, cancellationToken);
            }
            await store.CompleteAsync(run, node, CancellationToken.None);
            LogDone(run.Kind, run.Key, run.Attempt, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(e, run.Kind, run.Key, run.Attempt);
            await store.FailAsync(run, node, $"{e.GetType().Name}: {e.Message}", e is PermanentJobFailureException, CancellationToken.None);
        }
        // Cancelled (node stopping): the claim runs out and another node, or this one after its restart, takes the job over.
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "job_done {Kind} {Key} attempt={Attempt} ms={Milliseconds}")]
    private partial void LogDone(string kind, string key, int attempt, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "job_failed {Kind} {Key} attempt={Attempt}")]
    private partial void LogFailed(Exception exception, string kind, string key, int attempt);
}
