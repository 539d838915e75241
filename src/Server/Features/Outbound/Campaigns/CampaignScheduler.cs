using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Outbound.Campaigns;

/// <summary>
/// One per node: every poll, claims the due leads of each running campaign (within its concurrent-call limit) and
/// dials them one after another through the shared pacer. Everything lives in rows, so a restart loses nothing: a
/// claim this node held when it died expires and any node takes it over.
/// </summary>
public sealed partial class CampaignScheduler(
    IServiceScopeFactory scopes, CampaignClaims claims, CampaignDialer dialer, IOptions<CampaignOptions> options,
    IOptions<CallLeaseOptions> node, TimeProvider time, ILogger<CampaignScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SchedulerEnabled) return;
        var name = node.Value.EffectiveNodeId;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(name, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(e); // the database may be briefly away: the rows wait, the next poll tries again
            }
            try
            {
                await WaitForPollOrWakeAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>
    /// Starts this node's next pass now instead of at the next poll (a web-form lead to call within the minute). Wakes
    /// coalesce: many before a pass make one pass. Other nodes find the row on their own poll.
    /// </summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // a wake is already pending
        }
    }

    private async Task WaitForPollOrWakeAsync(CancellationToken stoppingToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var delay = Task.Delay(options.Value.PollInterval, time, either.Token);
        var wake = _wake.WaitAsync(either.Token);
        await Task.WhenAny(delay, wake);
        await either.CancelAsync();
        // The losing wait is cancelled; a wake taken by it is taken (the pass about to run covers it).
        try
        {
            await Task.WhenAll(delay, wake);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass over every running campaign as <paramref name="nodeName"/>; returns the leads it claimed.</summary>
    public async Task<int> RunOnceAsync(string nodeName, CancellationToken cancellationToken)
    {
        List<int> running;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            running = await db.Campaigns.AsNoTracking().Where(c => c.State == CampaignState.Running).OrderBy(c => c.Id)
                .Select(c => c.Id).ToListAsync(cancellationToken);
            await ReleaseLostCallsAsync(db, cancellationToken);
        }
        var claimed = 0;
        foreach (var campaignId in running)
        {
            var due = await claims.ClaimDueAsync(campaignId, nodeName, cancellationToken);
            claimed += due.Count;
            await dialer.DialManyAsync(campaignId, due, nodeName, cancellationToken);
            await using var scope = scopes.CreateAsyncScope();
            await CampaignOutcomes.CompleteIfFinishedAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(),
                scope.ServiceProvider.GetRequiredService<Notifications.INotifier>(), campaignId, time.GetUtcNow(), cancellationToken);
        }
        return claimed;
    }

    /// <summary>A placed call whose final status never came (a lost callback) stops holding a concurrent-call place.</summary>
    private async Task ReleaseLostCallsAsync(AppDbContext db, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var before = now - TimeSpan.FromSeconds(options.Value.CallTimeoutSeconds);
        await db.CampaignLeads.Where(r => r.State == CampaignLeadState.Dialing && r.ClaimedBy == null && r.UpdatedAt < before)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, CampaignLeadState.Done).SetProperty(r => r.ReasonCode, "status_lost")
                .SetProperty(r => r.Reason, "Twilio never reported how the call ended.").SetProperty(r => r.UpdatedAt, now), ct);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "campaign_scheduler_failed")]
    private partial void LogPassFailed(Exception exception);
}
