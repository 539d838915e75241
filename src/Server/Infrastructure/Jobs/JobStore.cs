using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Infrastructure.Jobs;

/// <summary>
/// The jobs table. Which node runs a job is decided by conditional UPDATEs (state, attempts and claim as read must
/// still hold), so with several nodes on one database exactly one claim per attempt succeeds — on SQLite and
/// PostgreSQL alike. A claim whose time ran out (its node died mid-job) is claimable again.
/// </summary>
public sealed class JobStore(IServiceScopeFactory scopes, IOptions<JobOptions> options, TimeProvider time, JobSignal signal)
{
    /// <summary>
    /// Adds the job unless one of that kind and key exists (whatever its state): enqueueing is idempotent. Wakes
    /// this node's worker. Returns whether a job was added.
    /// </summary>
    public async Task<bool> EnqueueAsync(string kind, string key, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (await db.Jobs.AnyAsync(j => j.Kind == kind && j.Key == key, cancellationToken)) return false;
        var now = time.GetUtcNow();
        db.Jobs.Add(new Job { Kind = kind, Key = key, State = JobState.Pending, NextAttemptAt = now, CreatedAt = now, UpdatedAt = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return false; // another node enqueued it between our check and our insert
        }
        signal.Wake();
        return true;
    }

    /// <summary>
    /// Adds the job through the caller's context, inside its transaction (on SQLite a second connection could not
    /// write while that transaction holds the write turn): it commits or rolls back with the caller's work. The
    /// local worker is woken, but the job is only claimable once the caller commits (else at the next poll).
    /// </summary>
    public async Task EnqueueWithAsync(AppDbContext db, string kind, string key, CancellationToken cancellationToken)
    {
        if (await db.Jobs.AnyAsync(j => j.Kind == kind && j.Key == key, cancellationToken)) return;
        var now = time.GetUtcNow();
        db.Jobs.Add(new Job { Kind = kind, Key = key, State = JobState.Pending, NextAttemptAt = now, CreatedAt = now, UpdatedAt = now });
        await db.SaveChangesAsync(cancellationToken);
        signal.Wake();
    }

    /// <summary>
    /// Adds a new job (a fresh, unique key) to the caller's context without saving: it is written by the caller's
    /// SaveChanges, atomically with the rows it serves. Call <see cref="Wake"/> after saving.
    /// </summary>
    public void Add(AppDbContext db, string kind, string key)
    {
        var now = time.GetUtcNow();
        db.Jobs.Add(new Job { Kind = kind, Key = key, State = JobState.Pending, NextAttemptAt = now, CreatedAt = now, UpdatedAt = now });
    }

    /// <summary>Wakes this node's worker (jobs were just committed).</summary>
    public void Wake() => signal.Wake();

    /// <summary>
    /// Arms a recurring job: creates it the first time, and puts it back to pending once it finished at least
    /// <paramref name="every"/> ago. One conditional UPDATE, so however many nodes arm it, it is queued once (and
    /// claimed by one of them).
    /// </summary>
    public async Task ArmRecurringAsync(string kind, string key, TimeSpan every, CancellationToken cancellationToken)
    {
        if (await EnqueueAsync(kind, key, cancellationToken)) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();
        var finishedBefore = now - every;
        await db.Jobs.Where(j => j.Kind == kind && j.Key == key && (j.State == JobState.Done || j.State == JobState.Failed) && j.UpdatedAt <= finishedBefore)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Pending).SetProperty(j => j.Attempts, 0)
                .SetProperty(j => j.NextAttemptAt, now).SetProperty(j => j.UpdatedAt, now), cancellationToken);
    }

    /// <summary>Puts a finished or failed job back in the queue, due now (staff asked for it to run again).</summary>
    public async Task<bool> RequeueAsync(string kind, string key, CancellationToken cancellationToken)
    {
        if (await EnqueueAsync(kind, key, cancellationToken)) return true;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();
        var updated = await db.Jobs.Where(j => j.Kind == kind && j.Key == key && j.State != JobState.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Pending).SetProperty(j => j.Attempts, 0)
                .SetProperty(j => j.NextAttemptAt, now).SetProperty(j => j.CompletedAt, (DateTimeOffset?)null)
                .SetProperty(j => j.UpdatedAt, now), cancellationToken);
        if (updated > 0) signal.Wake();
        return updated > 0;
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> jobs of <paramref name="kinds"/> that are due, or whose claim expired,
    /// for <paramref name="node"/>: one conditional UPDATE each, so a job goes to one claimant.
    /// </summary>
    public async Task<IReadOnlyList<JobRun>> ClaimDueAsync(string node, IReadOnlyCollection<string> kinds, int limit, CancellationToken cancellationToken)
    {
        if (kinds.Count == 0) return [];
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var o = options.Value;
        var now = time.GetUtcNow();
        var due = await db.Jobs.AsNoTracking()
            .Where(j => kinds.Contains(j.Kind)
                        && (j.State == JobState.Pending && j.NextAttemptAt <= now || j.State == JobState.Running && j.ClaimExpiresAt < now))
            .OrderBy(j => j.NextAttemptAt).ThenBy(j => j.Id).Take(limit)
            .Select(j => new { j.Id, j.Kind, j.Key, j.State, j.Attempts, j.ClaimExpiresAt }).ToListAsync(cancellationToken);
        var claimed = new List<JobRun>();
        foreach (var job in due)
        {
            // An orphaned job that already used its attempts is failed, not run once more.
            var exhausted = job.State == JobState.Running && job.Attempts >= o.MaxAttempts;
            var updated = await db.Jobs
                .Where(j => j.Id == job.Id && j.State == job.State && j.Attempts == job.Attempts && j.ClaimExpiresAt == job.ClaimExpiresAt)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.State, exhausted ? JobState.Failed : JobState.Running)
                    .SetProperty(j => j.Attempts, exhausted ? job.Attempts : job.Attempts + 1)
                    .SetProperty(j => j.ClaimedBy, exhausted ? null : node)
                    .SetProperty(j => j.ClaimExpiresAt, exhausted ? null : now + o.Claim)
                    .SetProperty(j => j.NextAttemptAt, (DateTimeOffset?)null)
                    .SetProperty(j => j.LastError, j => exhausted ? "claim expired on the last attempt (node lost)" : j.LastError)
                    .SetProperty(j => j.UpdatedAt, now), cancellationToken);
            if (updated == 1 && !exhausted) claimed.Add(new JobRun(job.Id, job.Kind, job.Key, job.Attempts + 1, o.MaxAttempts));
        }
        return claimed;
    }

    /// <summary>Records success; only while <paramref name="node"/> still holds this attempt's claim (nobody took it over).</summary>
    public async Task<bool> CompleteAsync(JobRun run, string node, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();
        return await Owned(db, run, node).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.State, JobState.Done).SetProperty(j => j.ClaimedBy, (string?)null)
            .SetProperty(j => j.ClaimExpiresAt, (DateTimeOffset?)null).SetProperty(j => j.CompletedAt, now)
            .SetProperty(j => j.LastError, (string?)null).SetProperty(j => j.UpdatedAt, now), cancellationToken) == 1;
    }

    /// <summary>Records a failed attempt: retried after the backoff, or failed for good when attempts (or hope) ran out.</summary>
    public async Task FailAsync(JobRun run, string node, string error, bool permanent, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();
        var giveUp = permanent || run.IsLastAttempt;
        DateTimeOffset? next = giveUp ? null : now + options.Value.RetryDelay(run.Attempt);
        var text = error.Length > Job.MaxError ? error[..Job.MaxError] : error;
        await Owned(db, run, node).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.State, giveUp ? JobState.Failed : JobState.Pending).SetProperty(j => j.NextAttemptAt, next)
            .SetProperty(j => j.ClaimedBy, (string?)null).SetProperty(j => j.ClaimExpiresAt, (DateTimeOffset?)null)
            .SetProperty(j => j.LastError, text).SetProperty(j => j.UpdatedAt, now), cancellationToken);
    }

    private static IQueryable<Job> Owned(AppDbContext db, JobRun run, string node) =>
        db.Jobs.Where(j => j.Id == run.Id && j.State == JobState.Running && j.ClaimedBy == node && j.Attempts == run.Attempt);
}
