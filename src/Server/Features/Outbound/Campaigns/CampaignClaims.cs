using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Outbound.Campaigns;

/// <summary>A lead row a node claimed to dial (the attempt it will be, once placed).</summary>
public sealed record CampaignClaim(long RowId, int CampaignId, int LeadId, int Attempt);

/// <summary>
/// Which node dials which lead. A claim is one conditional UPDATE (state, attempts, due time and claim as read must still
/// hold), so of two nodes reading the same row exactly one wins, on SQLite and PostgreSQL alike. On PostgreSQL the
/// campaign row is locked for the claim (<c>FOR UPDATE</c>), so nodes take turns counting the calls in flight and the
/// concurrent-call limit holds across them; the due rows are read <c>FOR UPDATE SKIP LOCKED</c>, so a node passes
/// over rows another is claiming. A claim that expires (its node died before placing the call) is taken over.
/// </summary>
public sealed class CampaignClaims(IServiceScopeFactory scopes, IOptions<CampaignOptions> options, TimeProvider time)
{
    public async Task<IReadOnlyList<CampaignClaim>> ClaimDueAsync(int campaignId, string node, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(() => ClaimOnceAsync(db, campaignId, node, cancellationToken));
    }

    private async Task<IReadOnlyList<CampaignClaim>> ClaimOnceAsync(AppDbContext db, int campaignId, string node, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var postgres = db.Provider == DatabaseProvider.Postgres;
        await using var transaction = postgres ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var campaign = postgres
            ? await db.Campaigns.FromSql($"""SELECT * FROM "Campaigns" WHERE "Id" = {campaignId} FOR UPDATE""").AsNoTracking()
                .Select(c => new { c.State, c.MaxConcurrentCalls }).SingleOrDefaultAsync(cancellationToken)
            : await db.Campaigns.AsNoTracking().Where(c => c.Id == campaignId)
                .Select(c => new { c.State, c.MaxConcurrentCalls }).SingleOrDefaultAsync(cancellationToken);
        if (campaign is not { State: CampaignState.Running }) return [];
        // Rows claimed but not placed whose node died are in flight no longer: they are claimable below.
        var inFlight = await db.CampaignLeads.CountAsync(r => r.CampaignId == campaignId && r.State == CampaignLeadState.Dialing
            && !(r.ClaimedBy != null && r.ClaimExpiresAt < now), cancellationToken);
        var room = Math.Min(campaign.MaxConcurrentCalls - inFlight, options.Value.ClaimBatch);
        if (room <= 0) return [];

        var waiting = CampaignLead.Waiting;
        var candidates = postgres
            ? db.CampaignLeads.FromSql($"""
                SELECT * FROM "CampaignLeads"
                WHERE "CampaignId" = {campaignId}
                  AND (("State" IN ('Queued', 'Voicemail', 'NoAnswer', 'Busy', 'Failed') AND "NextAttemptAt" <= {now})
                       OR ("State" = 'Dialing' AND "ClaimedBy" IS NOT NULL AND "ClaimExpiresAt" < {now}))
                ORDER BY "NextAttemptAt", "Id" LIMIT {room} FOR UPDATE SKIP LOCKED
                """)
            : db.CampaignLeads.Where(r => r.CampaignId == campaignId
                && (waiting.Contains(r.State) && r.NextAttemptAt <= now
                    || r.State == CampaignLeadState.Dialing && r.ClaimedBy != null && r.ClaimExpiresAt < now))
                .OrderBy(r => r.NextAttemptAt).ThenBy(r => r.Id).Take(room);
        var due = await candidates.AsNoTracking()
            .Select(r => new { r.Id, r.LeadId, r.State, r.Attempts, r.NextAttemptAt, r.ClaimedBy, r.ClaimExpiresAt }).ToListAsync(cancellationToken);

        var claims = new List<CampaignClaim>();
        foreach (var row in due)
        {
            var updated = await db.CampaignLeads
                .Where(r => r.Id == row.Id && r.State == row.State && r.Attempts == row.Attempts
                            && r.NextAttemptAt == row.NextAttemptAt && r.ClaimedBy == row.ClaimedBy && r.ClaimExpiresAt == row.ClaimExpiresAt)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, CampaignLeadState.Dialing)
                    .SetProperty(r => r.ClaimedBy, node).SetProperty(r => r.ClaimExpiresAt, now + options.Value.Claim)
                    .SetProperty(r => r.UpdatedAt, now), cancellationToken);
            if (updated == 1) claims.Add(new CampaignClaim(row.Id, campaignId, row.LeadId, row.Attempts + 1));
        }
        if (transaction is not null) await transaction.CommitAsync(cancellationToken);
        return claims;
    }

    /// <summary>Gives a claimed row back to wait until <paramref name="retryAt"/> (the gate's or the window's next opening).</summary>
    public Task<bool> PostponeAsync(CampaignClaim claim, string node, DateTimeOffset retryAt, string? code, string? reason, CancellationToken ct) =>
        ReleaseAsync(claim, node, CampaignLeadState.Queued, retryAt, code, reason, ct);

    public Task<bool> SkipAsync(CampaignClaim claim, string node, string code, string? reason, CancellationToken ct) =>
        ReleaseAsync(claim, node, CampaignLeadState.Skipped, null, code, reason, ct);

    /// <summary>Only while <paramref name="node"/> still holds the claim: true when it did.</summary>
    public async Task<bool> StillHeldAsync(CampaignClaim claim, string node, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();
        // Extends the claim: the dial that follows is covered for a full claim period.
        return await Held(db, claim, node).ExecuteUpdateAsync(s => s.SetProperty(r => r.ClaimExpiresAt, now + options.Value.Claim), ct) == 1;
    }

    private async Task<bool> ReleaseAsync(CampaignClaim claim, string node, CampaignLeadState state, DateTimeOffset? next, string? code, string? reason,
        CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();
        return await Held(db, claim, node).ExecuteUpdateAsync(s => s.SetProperty(r => r.State, state).SetProperty(r => r.NextAttemptAt, next)
            .SetProperty(r => r.ClaimedBy, (string?)null).SetProperty(r => r.ClaimExpiresAt, (DateTimeOffset?)null)
            .SetProperty(r => r.ReasonCode, code).SetProperty(r => r.Reason, Clip(reason)).SetProperty(r => r.UpdatedAt, now), ct) == 1;
    }

    internal static IQueryable<CampaignLead> Held(AppDbContext db, CampaignClaim claim, string node) =>
        db.CampaignLeads.Where(r => r.Id == claim.RowId && r.State == CampaignLeadState.Dialing && r.ClaimedBy == node
                                    && r.Attempts == claim.Attempt - 1);

    internal static string? Clip(string? reason) =>
        reason is null ? null : reason.Length > CampaignLead.MaxReason ? reason[..CampaignLead.MaxReason] : reason;
}
