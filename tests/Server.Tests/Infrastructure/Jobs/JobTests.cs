using EstateVoice.Server.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EstateVoice.Server.Tests.Infrastructure.Jobs;

/// <summary>
/// The jobs table on both databases, driven by two runners standing for two nodes (the app's own worker is
/// removed, so the test decides who polls when).
/// </summary>
public sealed class JobTests
{
    private const string Kind = "test-job";

    /// <summary>Counts runs; fails the first <see cref="FailuresLeft"/> of them; optionally holds each run until released.</summary>
    private sealed class Probe
    {
        public int Runs;
        public int FailuresLeft;
        public TaskCompletionSource? Hold;
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class ProbeHandler(Probe probe) : IJobHandler
    {
        public async Task RunAsync(JobRun run, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref probe.Runs);
            probe.Started.TrySetResult();
            if (probe.Hold is { } hold) await hold.Task.WaitAsync(cancellationToken);
            if (Interlocked.Decrement(ref probe.FailuresLeft) >= 0) throw new InvalidOperationException("scripted failure");
        }
    }

    private static Task<AppFactory> StartAsync(Db db, Probe probe, Dictionary<string, string?>? settings = null) =>
        AppFactory.CreateAsync(db, settings ?? [], services =>
        {
            var worker = services.Single(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType == typeof(JobWorker));
            services.Remove(worker);
            // The app's recurring sweeps would be claimed too and skew the counts: these tests are about one job kind.
            foreach (var recurring in services.Where(s => s.ServiceType == typeof(RecurringJob)).ToList()) services.Remove(recurring);
            services.AddSingleton(probe);
            services.AddJobHandler<ProbeHandler>(Kind);
        });

    private static Task<Job> RowAsync(AppFactory app) =>
        app.WithDbAsync(db => db.Jobs.AsNoTracking().SingleAsync(j => j.Kind == Kind));

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Enqueue_is_idempotent_per_kind_and_key(Db db)
    {
        await using var app = await StartAsync(db, new Probe());
        var store = app.Services.GetRequiredService<JobStore>();
        Assert.True(await store.EnqueueAsync(Kind, "42", CancellationToken.None));
        Assert.False(await store.EnqueueAsync(Kind, "42", CancellationToken.None));
        Assert.True(await store.EnqueueAsync(Kind, "43", CancellationToken.None));
        Assert.Equal(2, await app.WithDbAsync(d => d.Jobs.CountAsync()));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Two_nodes_competing_for_one_job_run_it_once(Db db)
    {
        var probe = new Probe();
        await using var app = await StartAsync(db, probe);
        await app.Services.GetRequiredService<JobStore>().EnqueueAsync(Kind, "1", CancellationToken.None);
        var runner = app.Services.GetRequiredService<JobRunner>();

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => runner.RunDueAsync($"node-{i % 2}", CancellationToken.None))));

        Assert.Equal(1, claims.Sum());
        Assert.Equal(1, probe.Runs);
        var row = await RowAsync(app);
        Assert.Equal(JobState.Done, row.State);
        Assert.Equal(1, row.Attempts);
        Assert.Null(row.ClaimedBy);
        // Done is done: later polls by either node find nothing.
        Assert.Equal(0, await runner.RunDueAsync("node-0", CancellationToken.None) + await runner.RunDueAsync("node-1", CancellationToken.None));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_failing_job_is_retried_with_doubling_backoff_then_succeeds(Db db)
    {
        var probe = new Probe { FailuresLeft = 2 };
        await using var app = await StartAsync(db, probe);
        await app.Services.GetRequiredService<JobStore>().EnqueueAsync(Kind, "1", CancellationToken.None);
        var runner = app.Services.GetRequiredService<JobRunner>();
        var start = app.Time.GetUtcNow();

        Assert.Equal(1, await runner.RunDueAsync("a", CancellationToken.None));
        var row = await RowAsync(app);
        Assert.Equal(JobState.Pending, row.State);
        Assert.Equal(start.AddSeconds(10), row.NextAttemptAt);
        Assert.Contains("scripted failure", row.LastError);

        app.Time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, await runner.RunDueAsync("a", CancellationToken.None)); // not due yet
        app.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await runner.RunDueAsync("b", CancellationToken.None));
        row = await RowAsync(app);
        Assert.Equal(app.Time.GetUtcNow().AddSeconds(20), row.NextAttemptAt);

        app.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(1, await runner.RunDueAsync("a", CancellationToken.None));
        row = await RowAsync(app);
        Assert.Equal(JobState.Done, row.State);
        Assert.Equal(3, row.Attempts);
        Assert.Null(row.LastError);
        Assert.Equal(3, probe.Runs);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_job_that_keeps_failing_stops_at_max_attempts(Db db)
    {
        var probe = new Probe { FailuresLeft = 100 };
        await using var app = await StartAsync(db, probe, new() { ["Jobs:MaxAttempts"] = "2" });
        await app.Services.GetRequiredService<JobStore>().EnqueueAsync(Kind, "1", CancellationToken.None);
        var runner = app.Services.GetRequiredService<JobRunner>();

        await runner.RunDueAsync("a", CancellationToken.None);
        app.Time.Advance(TimeSpan.FromHours(2));
        await runner.RunDueAsync("a", CancellationToken.None);
        app.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await runner.RunDueAsync("a", CancellationToken.None));

        var row = await RowAsync(app);
        Assert.Equal(JobState.Failed, row.State);
        Assert.Equal(2, row.Attempts);
        Assert.Equal(2, probe.Runs);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_claim_held_too_long_is_taken_over_and_the_dead_node_cannot_record_it(Db db)
    {
        var probe = new Probe { Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var app = await StartAsync(db, probe, new() { ["Jobs:ClaimSeconds"] = "60" });
        await app.Services.GetRequiredService<JobStore>().EnqueueAsync(Kind, "1", CancellationToken.None);
        var runner = app.Services.GetRequiredService<JobRunner>();

        // Node A claims the job and hangs in it (a node that died mid-job looks the same from the table).
        var hung = Task.Run(() => runner.RunDueAsync("node-a", CancellationToken.None));
        await probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, await runner.RunDueAsync("node-b", CancellationToken.None)); // claim still valid
        Assert.Equal("node-a", (await RowAsync(app)).ClaimedBy);

        app.Time.Advance(TimeSpan.FromSeconds(61));
        var hold = probe.Hold;
        probe.Hold = null;
        Assert.Equal(1, await runner.RunDueAsync("node-b", CancellationToken.None));
        var row = await RowAsync(app);
        Assert.Equal(JobState.Done, row.State);
        Assert.Equal(2, row.Attempts);

        // Node A comes back and fails its stale attempt: the row keeps node B's result.
        probe.FailuresLeft = 1;
        hold.SetResult();
        Assert.Equal(1, await hung.WaitAsync(TimeSpan.FromSeconds(30)));
        row = await RowAsync(app);
        Assert.Equal(JobState.Done, row.State);
        Assert.Null(row.LastError);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task The_worker_wakes_on_a_local_enqueue_without_waiting_for_its_poll(Db db)
    {
        var probe = new Probe();
        await using var app = await AppFactory.CreateAsync(db, [], services =>
        {
            services.AddSingleton(probe);
            services.AddJobHandler<ProbeHandler>(Kind);
        });
        await app.Services.GetRequiredService<JobStore>().EnqueueAsync(Kind, "1", CancellationToken.None);
        // The clock never moves, so only the wake-up can have run it.
        await probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 300 && (await RowAsync(app)).State != JobState.Done; i++) await Task.Delay(20);
        Assert.Equal(JobState.Done, (await RowAsync(app)).State);
    }
}
