using static EstateVoice.Server.Tests.Authorization.MatrixContext;

namespace EstateVoice.Server.Tests.Authorization;

/// <summary>Showings: an Agent books and cancels for their own leads; another agent's lead is "no such lead".</summary>
public static class ShowingsRows
{
    public static IEnumerable<MatrixRow> All =>
    [
        new("GET", "/showings/", _ => Task.FromResult(Get("/showings/")), Expect.Everyone(200)),
        new("GET", "/showings/{id:int}", async c => Get($"/showings/{await c.OwnedShowingAsync()}"), Expect.Owned(200)),
        new("POST", "/showings/", async c => Post("/showings/", new
        {
            lead_id = await c.OwnedLeadAsync(), property_id = await c.PropertyAsync(),
            starts_at = c.World.App.Time.GetUtcNow().AddDays(3),
        }), new Expect(201, 201, 201, 400)),
        new("POST", "/showings/{id:int}/cancel", async c => Post($"/showings/{await c.OwnedShowingAsync()}/cancel"), Expect.Owned(200)),
    ];
}
