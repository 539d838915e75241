using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Outbound.Campaigns;

/// <summary>A number went on the do-not-call list: every attempt still waiting for it, in every campaign, is skipped at once.</summary>
public sealed class CampaignOptOut(IServiceScopeFactory scopes, TimeProvider time) : INumberOptedOutListener
{
    public const string Reason = "The number was put on the do-not-call list.";

    public async Task NumberOptedOutAsync(string phoneE164, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();
        var waiting = CampaignLead.Waiting;
        // Waiting rows and rows claimed but not yet placed (the dialer's claim check then finds the row gone).
        await db.CampaignLeads
            .Where(r => (waiting.Contains(r.State) || r.State == CampaignLeadState.Dialing && r.ClaimedBy != null)
                        && db.Leads.Any(l => l.Id == r.LeadId && l.Phone == phoneE164))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, CampaignLeadState.Skipped)
                .SetProperty(r => r.ReasonCode, DialRefusals.DoNotCall).SetProperty(r => r.Reason, Reason)
                .SetProperty(r => r.NextAttemptAt, (DateTimeOffset?)null).SetProperty(r => r.ClaimedBy, (string?)null)
                .SetProperty(r => r.ClaimExpiresAt, (DateTimeOffset?)null).SetProperty(r => r.UpdatedAt, now), cancellationToken);
    }
}
