using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Calls.Analysis;
using EstateVoice.Server.Features.Voice.Live;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Voice.Calls;

/// <summary>
/// Runs on every node: finalises voice calls whose server is gone — an in-progress call whose lease expired (its
/// node stopped renewing it: crash, kill -9, lost VM), or one streamed without a lease (before leases existed)
/// with no sign of life for <see cref="CallLeaseOptions.LeaselessIdleMinutes"/>. The call fails with "server lost"
/// and ends when its lease did, its transcript built from the turns it saved (<see cref="CallTranscript"/>, as a
/// normal end does). Each call is finalised by one conditional UPDATE that also requires the lease seen in the
/// query, so sweepers on several nodes (and a session renewing at the last moment) never overwrite each other.
/// </summary>
public sealed partial class CallLeaseSweeper(
    IServiceScopeFactory scopes,
    ICallEventPublisher events,
    CallAnalysisQueue analyses,
    IOptions<CallLeaseOptions> options,
    TimeProvider time,
    Recording.RecordingOptions recordings,
    ILogger<CallLeaseSweeper> logger) : BackgroundService
{
    public const string ServerLost = "server lost";
    /// <summary>The recording of a call whose node died: its WAV is on that node's disk, stored (and the status overwritten) if it comes back.</summary>
    public const string RecordingLost = "the node carrying the call stopped; its recording is stored if that node comes back";
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        do
        {
            try
            {
                await SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Sweeping expired call leases failed; trying again at the next sweep");
            }
        } while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try { return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false); }
        catch (OperationCanceledException) { return false; }
    }

    /// <summary>Finalises every call whose server is gone; returns how many this node finalised.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var idleSince = now - o.LeaselessIdle;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var lost = await db.Calls.AsNoTracking()
            .Where(c => c.Status == CallStatus.InProgress && c.EndedAt == null && c.StreamStartedAt != null
                        && (c.LeaseExpiresAt < now
                            || c.LeaseExpiresAt == null && c.StreamStartedAt < idleSince && !c.Turns.Any(t => t.CreatedAt >= idleSince)))
            .OrderBy(c => c.Id)
            .Select(c => new
            {
                c.Id, c.AgentId, c.LeaseOwner, c.LeaseExpiresAt, c.StreamStartedAt, c.AnsweredAt, c.StartedAt,
                LastTurn = c.Turns.Max(t => (DateTimeOffset?)t.CreatedAt),
            })
            .Take(Batch).ToListAsync(cancellationToken).ConfigureAwait(false);

        var finalised = 0;
        foreach (var call in lost)
        {
            // The call ended when its server stopped vouching for it; a lease-less one at its last sign of life.
            var endedAt = call.LeaseExpiresAt ?? call.LastTurn ?? call.StreamStartedAt!.Value;
            var from = call.AnsweredAt ?? call.StartedAt;
            var seconds = Math.Max(0, (int)Math.Round((endedAt - from).TotalSeconds));
            // The same transcript a normal end writes, from the turns the lost node saved (it writes no more).
            var transcript = await CallTranscript.BuildAsync(db, call.Id, cancellationToken).ConfigureAwait(false);
            // No call without a recording status: the lost node never wrote its own (one set before, such as a resumed
            // call's first part "recorded", stays).
            // A WAV of it here whose caller had not agreed yet (the session died on this node) is deleted, never stored
            // (by the sweeper whose update wins: a second sweeper must not find it gone and say "lost").
            var unconsented = recordings.Mode == Recording.RecordingMode.Ask
                              && Recording.RecordingJob.HasUnconsented(recordings.TempDirectory, call.Id);
            var (recordingStatus, recordingReason) = recordings.Mode == Recording.RecordingMode.Off
                ? (Recording.RecordingStatuses.Off, $"recording is off ({Recording.RecordingOptions.ModeVariable}=off)")
                : unconsented ? (Recording.RecordingStatuses.Declined, Recording.RecordingJob.UnconsentedDeleted)
                : (Recording.RecordingStatuses.Failed, RecordingLost);
            var updated = await db.Calls
                .Where(c => c.Id == call.Id && c.Status == CallStatus.InProgress && c.EndedAt == null && c.LeaseExpiresAt == call.LeaseExpiresAt)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.Status, CallStatus.Failed)
                    .SetProperty(c => c.Outcome, CallOutcome.Failed)
                    .SetProperty(c => c.FailureReason, c => c.FailureReason ?? ServerLost)
                    .SetProperty(c => c.EndedAt, endedAt)
                    .SetProperty(c => c.DurationSeconds, c => c.DurationSeconds ?? seconds)
                    .SetProperty(c => c.TranscriptText, c => string.IsNullOrEmpty(c.TranscriptText) ? transcript : c.TranscriptText)
                    .SetProperty(c => c.RecordingStatusReason, c => c.RecordingStatus == null ? recordingReason : c.RecordingStatusReason)
                    .SetProperty(c => c.RecordingStatus, c => c.RecordingStatus ?? recordingStatus)
                    .SetProperty(c => c.UpdatedAt, now), cancellationToken).ConfigureAwait(false);
            if (updated != 1) continue; // renewed meanwhile, or another node's sweeper (or the session) was first
            if (unconsented) Recording.RecordingJob.DeleteUnconsented(recordings.TempDirectory, call.Id);
            finalised++;
            LogSwept(call.Id, call.LeaseOwner ?? "(no lease)", endedAt);
            events.CallUpdated(call.AgentId, call.Id);
            await analyses.EnqueueAsync(call.Id, cancellationToken).ConfigureAwait(false);
        }
        return finalised;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} finalised as failed (server lost): node {Node} stopped renewing it, lease ended {EndedAt}")]
    private partial void LogSwept(int callId, string node, DateTimeOffset endedAt);
}
