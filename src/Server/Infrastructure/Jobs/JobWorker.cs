using EstateVoice.Server.Features.Voice.Calls;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Infrastructure.Jobs;

/// <summary>
/// One per node: runs due jobs, then sleeps until the next poll or a local enqueue. The node's name is the call
/// lease node id (<c>CallLeases__NodeId</c>), so one name identifies a process everywhere it claims work.
/// </summary>
public sealed class JobWorker(
    JobRunner runner, JobSignal signal, IOptions<JobOptions> options, IOptions<CallLeaseOptions> node, TimeProvider time,
    ILogger<JobWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var name = node.Value.EffectiveNodeId;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await runner.RunDueAsync(name, stoppingToken) == JobRunner.BatchSize) { }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be briefly unreachable; the jobs stay in their rows and the next poll tries again.
                logger.LogError(e, "job_worker_failed");
            }
            try
            {
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                await Task.WhenAny(Task.Delay(options.Value.PollInterval, time, wake.Token), signal.WaitAsync(wake.Token));
                await wake.CancelAsync();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
