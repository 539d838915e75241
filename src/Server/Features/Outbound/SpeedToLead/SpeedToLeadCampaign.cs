using EstateVoice.Server.Features.Outbound.Campaigns;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Outbound.SpeedToLead;

/// <summary>
/// The built-in "Speed to lead" campaign: always running; made open every day and hour (only the compliance gate holds a
/// dial back, until its <c>retry_at</c>), one attempt per lead then the regular campaigns take over. A Manager may pause
/// it and change its window, days, attempts and spacing; the dialer and the outcomes read them afresh for each dial. A web-form lead with
/// consent gets a due row in it, and this node's scheduler is woken so the dial goes out within a second or so (other
/// nodes find it on their next poll). It reuses the scheduler's claims, the pacer and the gate like any campaign.
/// </summary>
public sealed partial class SpeedToLeadCampaign(
    IServiceScopeFactory scopes, CampaignScheduler scheduler, IOptions<SpeedToLeadOptions> options, TimeProvider time,
    ILogger<SpeedToLeadCampaign> logger) : IHostedService
{
    public const string Key = "speed_to_lead";
    public const string Name = "Speed to lead";

    public bool Enabled => options.Value.Enabled;

    /// <summary>At startup (after the migrations): the campaign exists when the feature is on.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Enabled) return;
        try
        {
            await EnsureAsync(cancellationToken);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            LogEnsureFailed(e); // the first intake makes it then
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private int? _id;

    /// <summary>
    /// The campaign's id, made now if missing (racing nodes: the unique <c>BuiltIn</c> lets one insert win). Its own
    /// context, so a caller's pending changes are not saved with it.
    /// </summary>
    public async Task<int> EnsureAsync(CancellationToken ct)
    {
        if (_id is { } known) return known;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var id = await db.Campaigns.Where(c => c.BuiltIn == Key).Select(c => (int?)c.Id).SingleOrDefaultAsync(ct);
        if (id is null)
        {
            var now = time.GetUtcNow();
            var campaign = new Campaign
            {
                Name = Name, Goal = "your enquiry on our website", BuiltIn = Key, State = CampaignState.Running,
                WindowStart = TimeOnly.MinValue, WindowEnd = TimeOnly.MaxValue, Days = CampaignWindow.AllDays, TimeZone = "UTC",
                MaxAttempts = 1, SpacingMinutes = 60, MaxConcurrentCalls = 5, StartedAt = now, CreatedAt = now, UpdatedAt = now,
            };
            db.Campaigns.Add(campaign);
            try
            {
                await db.SaveChangesAsync(ct);
                id = campaign.Id;
            }
            catch (DbUpdateException)
            {
                id = await db.Campaigns.AsNoTracking().Where(c => c.BuiltIn == Key).Select(c => c.Id).SingleAsync(ct); // another node's won
            }
        }
        _id = id;
        return id.Value;
    }

    /// <summary>
    /// Adds <paramref name="lead"/> (new, saved by the caller with it) to the queue, due now: the intake's moment starts
    /// the clock. False when the feature is off. Call <see cref="Wake"/> once saved.
    /// </summary>
    public async Task<bool> AddAsync(AppDbContext db, Leads.Lead lead, CancellationToken ct)
    {
        if (!Enabled || lead.DoNotCall || !lead.ConsentToCall) return false;
        var campaignId = await EnsureAsync(ct);
        var now = time.GetUtcNow();
        db.CampaignLeads.Add(new CampaignLead
        {
            CampaignId = campaignId, Lead = lead, State = CampaignLeadState.Queued, NextAttemptAt = now, QueuedAt = now,
            CreatedAt = now, UpdatedAt = now,
        });
        return true;
    }

    /// <summary>This node's scheduler looks now rather than at its next poll.</summary>
    public void Wake() => scheduler.Wake();

    [LoggerMessage(Level = LogLevel.Warning, Message = "speed_to_lead_campaign_not_made")]
    private partial void LogEnsureFailed(Exception exception);
}
