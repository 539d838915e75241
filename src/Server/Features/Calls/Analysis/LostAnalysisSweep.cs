using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Calls.Analysis;

/// <summary>
/// The <c>analysis-sweep</c> recurring job (every minute, one node): the voice path queues a call's analysis in a
/// write of its own after the call row is saved, so a node dying in between leaves a finished call with no analysis
/// and no job. This finds such calls — our own media-stream calls (ElevenLabs calls queue theirs inside the event's
/// transaction) that ended more than <see cref="MinAge"/> ago, within the last <see cref="Lookback"/> (older calls,
/// from before analysis existed, are not back-filled) — and queues them.
/// </summary>
public sealed partial class LostAnalysisSweep(AppDbContext db, JobStore jobs, TimeProvider time, ILogger<LostAnalysisSweep> logger) : IJobHandler
{
    public const string Kind = "analysis-sweep";
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(1);
    /// <summary>Long enough that a call whose end is being written right now is not mistaken for a lost one.</summary>
    public static readonly TimeSpan MinAge = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(1);
    private const int Batch = 100;

    public async Task RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (endedBefore, endedAfter) = (now - MinAge, now - Lookback);
        var lost = await db.Calls.AsNoTracking()
            .Where(c => c.StreamStartedAt != null && c.EndedAt != null && c.EndedAt <= endedBefore && c.EndedAt > endedAfter
                        && !db.CallAnalyses.Any(a => a.CallId == c.Id)
                        && !db.Jobs.Any(j => j.Kind == CallAnalysisJob.Kind && j.Key == c.Id.ToString()))
            .OrderBy(c => c.EndedAt).Select(c => c.Id).Take(Batch).ToListAsync(cancellationToken);
        foreach (var callId in lost)
        {
            if (await jobs.EnqueueAsync(CallAnalysisJob.Kind, CallAnalysisQueue.Key(callId), cancellationToken)) LogQueued(callId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "call_analysis_lost_job_requeued {CallId}")]
    private partial void LogQueued(int callId);
}
