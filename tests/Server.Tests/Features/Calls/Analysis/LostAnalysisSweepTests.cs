using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Calls.Analysis;
using EstateVoice.Server.Infrastructure.Jobs;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EstateVoice.Server.Tests.Features.Calls.Analysis;

/// <summary>
/// A finished voice call whose analysis job was never written (its node died between the two writes) is found by
/// the recurring sweep and queued; calls too recent, already queued or already analysed are left alone.
/// </summary>
public sealed class LostAnalysisSweepTests
{
    private static Task<AppFactory> StartAsync(Db db) => AppFactory.CreateAsync(db, [], services =>
        services.Remove(services.Single(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType == typeof(JobWorker))));

    /// <summary>A call as the voice path leaves it when the enqueue after its end is lost: ended, streamed, no job.</summary>
    private static async Task<int> EndedCallAsync(AppFactory app, TimeSpan endedAgo, bool streamed = true)
    {
        var setup = await AnalysisWorld.CreateAsync(app);
        await app.WithDbAsync(async db =>
        {
            var call = await db.Calls.SingleAsync(c => c.Id == setup.Call.Id);
            call.Status = CallStatus.Completed;
            call.StreamStartedAt = streamed ? app.Time.GetUtcNow() - endedAgo - TimeSpan.FromMinutes(2) : null;
            call.EndedAt = app.Time.GetUtcNow() - endedAgo;
            await db.SaveChangesAsync();
        });
        return setup.Call.Id;
    }

    private static Task<List<string>> AnalysisJobKeysAsync(AppFactory app) =>
        app.WithDbAsync(db => db.Jobs.AsNoTracking().Where(j => j.Kind == CallAnalysisJob.Kind).Select(j => j.Key).ToListAsync());

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_finished_call_without_analysis_or_job_is_queued_once_by_one_node(Db db)
    {
        await using var app = await StartAsync(db);
        var lost = await EndedCallAsync(app, TimeSpan.FromMinutes(5));
        var recent = await EndedCallAsync(app, TimeSpan.FromSeconds(20));
        var notOurs = await EndedCallAsync(app, TimeSpan.FromMinutes(5), streamed: false);
        var queued = await EndedCallAsync(app, TimeSpan.FromMinutes(5));
        await app.Services.GetRequiredService<JobStore>().EnqueueAsync(CallAnalysisJob.Kind, CallAnalysisQueue.Key(queued), CancellationToken.None);
        var runner = app.Services.GetRequiredService<JobRunner>();

        // Two nodes poll at once: the sweep runs on one of them.
        await Task.WhenAll(Task.Run(() => runner.RunDueAsync("node-a", CancellationToken.None)), Task.Run(() => runner.RunDueAsync("node-b", CancellationToken.None)));

        var sweep = await app.WithDbAsync(d => d.Jobs.AsNoTracking().SingleAsync(j => j.Kind == LostAnalysisSweep.Kind));
        Assert.Equal(JobState.Done, sweep.State);
        Assert.Equal(1, sweep.Attempts);
        var keys = await AnalysisJobKeysAsync(app);
        Assert.Contains(CallAnalysisQueue.Key(lost), keys);
        Assert.Contains(CallAnalysisQueue.Key(queued), keys);
        Assert.DoesNotContain(CallAnalysisQueue.Key(recent), keys);
        Assert.DoesNotContain(CallAnalysisQueue.Key(notOurs), keys);

        // The lost call gets analysed; a minute on, the sweep runs again and finds the recent call, now old enough.
        while (await runner.RunDueAsync("node-a", CancellationToken.None) > 0) { }
        Assert.True(await app.WithDbAsync(d => d.CallAnalyses.AnyAsync(a => a.CallId == lost)));
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await runner.RunDueAsync("node-b", CancellationToken.None);
        Assert.Contains(CallAnalysisQueue.Key(recent), await AnalysisJobKeysAsync(app));
        Assert.Equal(1, await app.WithDbAsync(d => d.Jobs.CountAsync(j => j.Kind == LostAnalysisSweep.Kind)));
    }
}
