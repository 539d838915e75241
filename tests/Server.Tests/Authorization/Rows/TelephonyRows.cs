using static EstateVoice.Server.Tests.Authorization.MatrixContext;

namespace EstateVoice.Server.Tests.Authorization;

/// <summary>
/// Outbound calls: anyone who may see the lead may call it; another agent's lead answers 404. The lead consents,
/// so every permitted caller gets past the access and consent checks to 503 (no Twilio account in the matrix app).
/// </summary>
public static class TelephonyRows
{
    public static IEnumerable<MatrixRow> All =>
    [
        new("POST", "/calls/outbound", async c =>
        {
            var leadId = await c.OwnedLeadAsync();
            await c.World.App.WithDbAsync(async db =>
            {
                (await db.Leads.FindAsync(leadId))!.ConsentToCall = true;
                await db.SaveChangesAsync();
            });
            return Post("/calls/outbound", new { lead_id = leadId });
        }, Expect.Owned(503)),
    ];
}
