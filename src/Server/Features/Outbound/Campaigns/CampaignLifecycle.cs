using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Outbound.Campaigns;

/// <summary>
/// The campaign's states and the moves between them. Each move is one conditional UPDATE on the state it starts
/// from, so two managers pressing at once move it once and the other gets a conflict.
/// </summary>
public static class CampaignLifecycle
{
    public const string StoppedCode = "campaign_stopped";

    /// <summary>The leads <paramref name="filter"/> selects (test leads never).</summary>
    public static IQueryable<Lead> Select(IQueryable<Lead> leads, CampaignLeadFilter filter)
    {
        leads = leads.Where(l => !l.IsTest);
        if (filter.LeadIds is { Count: > 0 } ids) return leads.Where(l => ids.Contains(l.Id));
        if (filter.Statuses is { Count: > 0 } statuses) leads = leads.Where(l => statuses.Contains(l.Status));
        if (filter.Intents is { Count: > 0 } intents) leads = leads.Where(l => l.Intent != null && intents.Contains(l.Intent.Value));
        if (filter.Sources is { Count: > 0 } sources) leads = leads.Where(l => sources.Contains(l.Source));
        if (filter.AssignedAgentIds is { Count: > 0 } agents) leads = leads.Where(l => l.AssignedAgentId != null && agents.Contains(l.AssignedAgentId.Value));
        if (filter.Areas is { Count: > 0 } areas) leads = leads.Where(l => l.PreferredAreas.Any(a => areas.Contains(a)));
        if (filter.SourceSite is { } site) leads = leads.Where(l => l.SourceSite == site);
        return leads;
    }

    /// <summary>Draft → running: one row per selected lead, due now (a do-not-call lead is skipped at once). Null = not a draft.</summary>
    public static Task<int?> StartAsync(AppDbContext db, Campaign campaign, DateTimeOffset now, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(() => StartOnceAsync(db, campaign, now, ct));

    private static async Task<int?> StartOnceAsync(AppDbContext db, Campaign campaign, DateTimeOffset now, CancellationToken ct)
    {
        db.ChangeTracker.Clear(); // a retried attempt starts afresh
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var moved = await db.Campaigns.Where(c => c.Id == campaign.Id && c.State == CampaignState.Draft)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.State, CampaignState.Running).SetProperty(c => c.StartedAt, now)
                .SetProperty(c => c.UpdatedAt, now), ct);
        if (moved == 0) return null;
        var leads = await Select(db.Leads.AsNoTracking(), campaign.Leads).OrderBy(l => l.Id)
            .Select(l => new { l.Id, l.DoNotCall }).ToListAsync(ct);
        foreach (var lead in leads)
        {
            db.CampaignLeads.Add(new CampaignLead
            {
                CampaignId = campaign.Id, LeadId = lead.Id, QueuedAt = now, CreatedAt = now, UpdatedAt = now,
                State = lead.DoNotCall ? CampaignLeadState.Skipped : CampaignLeadState.Queued,
                NextAttemptAt = lead.DoNotCall ? null : now,
                ReasonCode = lead.DoNotCall ? DialRefusals.DoNotCall : null,
                Reason = lead.DoNotCall ? CampaignOptOut.Reason : null,
            });
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        await transaction.CommitAsync(ct);
        return leads.Count;
    }

    public static Task<bool> MoveAsync(AppDbContext db, int id, CampaignState[] from, CampaignState to, DateTimeOffset now, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(() => MoveOnceAsync(db, id, from, to, now, ct));

    private static async Task<bool> MoveOnceAsync(AppDbContext db, int id, CampaignState[] from, CampaignState to, DateTimeOffset now, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // A built-in campaign pauses and resumes but never stops (a stopped one could never run again).
        var moved = await db.Campaigns.Where(c => c.Id == id && from.Contains(c.State) && (to != CampaignState.Stopped || c.BuiltIn == null))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.State, to).SetProperty(c => c.UpdatedAt, now)
                .SetProperty(c => c.EndedAt, c => to == CampaignState.Stopped ? now : c.EndedAt), ct);
        if (moved == 1 && to == CampaignState.Stopped)
        {
            // Nothing more is dialed; calls already placed finish and record their outcome.
            var waiting = CampaignLead.Waiting;
            await db.CampaignLeads.Where(r => r.CampaignId == id && (waiting.Contains(r.State) || r.State == CampaignLeadState.Dialing && r.ClaimedBy != null))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, CampaignLeadState.Done).SetProperty(r => r.NextAttemptAt, (DateTimeOffset?)null)
                    .SetProperty(r => r.ClaimedBy, (string?)null).SetProperty(r => r.ClaimExpiresAt, (DateTimeOffset?)null)
                    .SetProperty(r => r.ReasonCode, StoppedCode).SetProperty(r => r.Reason, "The campaign was stopped.")
                    .SetProperty(r => r.UpdatedAt, now), ct);
        }
        await transaction.CommitAsync(ct);
        return moved == 1;
    }

    /// <summary>Progress counters for each of <paramref name="ids"/> in one grouped query.</summary>
    public static async Task<Dictionary<int, CampaignProgress>> ProgressAsync(AppDbContext db, IReadOnlyCollection<int> ids, CancellationToken ct)
    {
        var groups = await db.CampaignLeads.AsNoTracking().Where(r => ids.Contains(r.CampaignId))
            .GroupBy(r => new { r.CampaignId, r.State, r.ReasonCode, Dialed = r.Attempts > 0 })
            .Select(g => new { g.Key.CampaignId, g.Key.State, g.Key.ReasonCode, g.Key.Dialed, Count = g.Count() }).ToListAsync(ct);
        return ids.ToDictionary(id => id, id =>
        {
            var rows = groups.Where(g => g.CampaignId == id).ToList();
            int Count(Func<CampaignLeadState, string?, bool> match) => rows.Where(g => match(g.State, g.ReasonCode)).Sum(g => g.Count);
            // A row keeps its last outcome as state while it waits for the next attempt, and as reason code once done.
            int Outcome(CampaignLeadState state) =>
                Count((s, code) => s == state || s == CampaignLeadState.Done && code == Infrastructure.Http.SnakeCaseEnum.Name(state));
            return new CampaignProgress(
                Total: rows.Sum(g => g.Count), Queued: Count((s, _) => s == CampaignLeadState.Queued), Dialing: Count((s, _) => s == CampaignLeadState.Dialing),
                Dialed: rows.Where(g => g.Dialed).Sum(g => g.Count), Answered: Count((s, _) => s == CampaignLeadState.Answered),
                Voicemail: Outcome(CampaignLeadState.Voicemail), NoAnswer: Outcome(CampaignLeadState.NoAnswer), Busy: Outcome(CampaignLeadState.Busy),
                Failed: Outcome(CampaignLeadState.Failed), Done: Count((s, _) => s == CampaignLeadState.Done),
                Skipped: Count((s, _) => s == CampaignLeadState.Skipped),
                OptedOut: Count((s, code) => s == CampaignLeadState.Skipped && code == DialRefusals.DoNotCall));
        });
    }
}
