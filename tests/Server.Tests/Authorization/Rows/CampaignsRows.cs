using EstateVoice.Server.Features.Outbound.Campaigns;
using static EstateVoice.Server.Tests.Authorization.MatrixContext;

namespace EstateVoice.Server.Tests.Authorization;

/// <summary>Campaigns: Admins and Managers manage them, every signed-in user reads them.</summary>
public static class CampaignsRows
{
    public static IEnumerable<MatrixRow> All =>
    [
        new("GET", "/campaigns/", _ => Task.FromResult(Get("/campaigns/")), Expect.Everyone(200)),
        new("GET", "/campaigns/{id:int}", async c => Get($"/campaigns/{await CampaignAsync(c, CampaignState.Draft)}"), Expect.Everyone(200)),
        new("GET", "/campaigns/{id:int}/leads", async c => Get($"/campaigns/{await CampaignAsync(c, CampaignState.Running)}/leads"), Expect.Everyone(200)),
        new("GET", "/campaigns/{id:int}/report", async c => Get($"/campaigns/{await CampaignAsync(c, CampaignState.Running)}/report"), Expect.Everyone(200)),
        new("POST", "/campaigns/", async c => Post("/campaigns/", Body(await c.OwnedLeadAsync())), Expect.ManagerOrAdmin(201)),
        new("PUT", "/campaigns/{id:int}", async c => Put($"/campaigns/{await CampaignAsync(c, CampaignState.Draft)}", Body(await c.OwnedLeadAsync())),
            Expect.ManagerOrAdmin(200)),
        new("DELETE", "/campaigns/{id:int}", async c => Delete($"/campaigns/{await CampaignAsync(c, CampaignState.Draft)}"), Expect.ManagerOrAdmin(204)),
        new("POST", "/campaigns/{id:int}/start", async c => Post($"/campaigns/{await CampaignAsync(c, CampaignState.Draft)}/start"),
            Expect.ManagerOrAdmin(200)),
        new("POST", "/campaigns/{id:int}/pause", async c => Post($"/campaigns/{await CampaignAsync(c, CampaignState.Running)}/pause"),
            Expect.ManagerOrAdmin(200)),
        new("POST", "/campaigns/{id:int}/resume", async c => Post($"/campaigns/{await CampaignAsync(c, CampaignState.Paused)}/resume"),
            Expect.ManagerOrAdmin(200)),
        new("POST", "/campaigns/{id:int}/stop", async c => Post($"/campaigns/{await CampaignAsync(c, CampaignState.Running)}/stop"),
            Expect.ManagerOrAdmin(200)),
    ];

    private static object Body(int leadId) => new { name = "Spring sellers", goal = "the spring market update", leads = new { lead_ids = new[] { leadId } } };

    /// <summary>A campaign in <paramref name="state"/> over one of the owner's leads (no rows: the scheduler has nothing to dial).</summary>
    private static async Task<int> CampaignAsync(MatrixContext c, CampaignState state)
    {
        var leadId = await c.OwnedLeadAsync();
        return await c.World.App.WithDbAsync(async db =>
        {
            var now = c.World.App.Time.GetUtcNow();
            var campaign = new Campaign
            {
                Name = "Matrix", Goal = "the matrix", State = state, Leads = new CampaignLeadFilter { LeadIds = [leadId] }, CreatedAt = now, UpdatedAt = now,
            };
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync();
            return campaign.Id;
        });
    }
}
