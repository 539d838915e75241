using System.Security.Claims;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Outbound.Campaigns;

/// <summary>
/// What a campaign achieved, over the leads the caller sees. <c>Dialed</c>: leads called at least once. <c>Contacted</c>:
/// of those, answered by a person (answering machines are not contacts). <c>Qualified</c>: of those, the ones that became
/// qualified after joining the campaign. <c>ShowingsBooked</c>: showings made on the campaign's calls. <c>OptedOut</c>:
/// dialed leads now on do-not-call (asked on or after a campaign call not to be called). Rates are of dialed leads, 0 to 1,
/// null before the first dial.
/// </summary>
public sealed record CampaignReportResponse(
    int CampaignId, int Leads, int Dialed, int Contacted, double? ContactRate, int Qualified, double? QualificationRate, int ShowingsBooked,
    int OptedOut, double? OptOutRate);

public static class CampaignReport
{
    public static async Task<CampaignReportResponse> BuildAsync(AppDbContext db, int campaignId, ClaimsPrincipal user, CancellationToken ct)
    {
        var visible = db.Leads.AsNoTracking().VisibleTo(user);
        var rows = db.CampaignLeads.AsNoTracking().Where(r => r.CampaignId == campaignId && visible.Any(l => l.Id == r.LeadId));
        var dialed = rows.Where(r => r.Attempts > 0);
        var facts = await dialed.Select(r => new
        {
            Contacted = r.State == CampaignLeadState.Answered,
            Qualified = r.Lead!.QualifiedAt != null && r.Lead.QualifiedAt >= r.CreatedAt,
            OptedOut = r.Lead.DoNotCall,
        }).ToListAsync(ct);
        var leads = await rows.CountAsync(ct);
        var showings = await db.Showings.AsNoTracking()
            .CountAsync(s => s.CallId != null && db.Calls.Any(c => c.Id == s.CallId && c.CampaignId == campaignId) && visible.Any(l => l.Id == s.LeadId), ct);
        var contacted = facts.Count(f => f.Contacted);
        var qualified = facts.Count(f => f.Qualified);
        var optedOut = facts.Count(f => f.OptedOut);
        return new CampaignReportResponse(campaignId, leads, facts.Count, contacted, Rate(contacted, facts.Count), qualified,
            Rate(qualified, facts.Count), showings, optedOut, Rate(optedOut, facts.Count));
    }

    private static double? Rate(int part, int of) => of == 0 ? null : Math.Round((double)part / of, 3);
}
