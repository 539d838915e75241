using static EstateVoice.Server.Tests.Authorization.MatrixContext;

namespace EstateVoice.Server.Tests.Authorization;

/// <summary>
/// Showings: an Agent books and moves showings of their own leads (another agent's is "no such lead"), and sees and
/// sets only their own working hours and calendar.
/// </summary>
public static class ShowingsRows
{
    // Every caller books the same agent's leads in one app: each booking gets its own slot, and the working hours a row
    // sets cover the whole week, so no booking after it is refused for the agent's time rather than its access.
    private static int slots;
    private static readonly object[] AllWeek = [.. Enum.GetNames<DayOfWeek>().Select(d => new { day = d.ToLowerInvariant(), starts = "00:00", ends = "23:59" })];

    private static DateTimeOffset NextSlot(MatrixContext c) => c.World.App.Time.GetUtcNow().AddDays(20).AddHours(2 * Interlocked.Increment(ref slots));

    public static IEnumerable<MatrixRow> All =>
    [
        new("GET", "/showings/", _ => Task.FromResult(Get("/showings/")), Expect.Everyone(200)),
        new("GET", "/showings/{id:int}", async c => Get($"/showings/{await c.OwnedShowingAsync()}"), Expect.Owned(200)),
        new("POST", "/showings/", async c => Post("/showings/", new
        {
            lead_id = await c.OwnedLeadAsync(), property_id = await c.PropertyAsync(),
            starts_at = NextSlot(c),
        }), new Expect(201, 201, 201, 400)),
        new("POST", "/showings/{id:int}/cancel", async c => Post($"/showings/{await c.OwnedShowingAsync()}/cancel"), Expect.Owned(200)),
        new("POST", "/showings/{id:int}/status", async c => Post($"/showings/{await c.OwnedShowingAsync()}/status", new { status = "confirmed" }), Expect.Owned(200)),
        new("POST", "/showings/{id:int}/reschedule", async c => Post($"/showings/{await c.OwnedShowingAsync()}/reschedule",
            new { starts_at = NextSlot(c) }), Expect.Owned(200)),
        new("POST", "/showings/{id:int}/restore", async c => Post($"/showings/{await c.OwnedShowingAsync()}/restore"), Expect.Owned(409)),
        new("GET", "/showings/free-slots", async c => Get($"/showings/free-slots?agent_id={c.Owner.Id}&property_id={await c.PropertyAsync()}&from=2026-12-01&to=2026-12-02"),
            Expect.Everyone(200)),
        new("GET", "/showings/{id:int}/invite.ics", async c => Get($"/showings/{await c.OwnedShowingAsync()}/invite.ics"), Expect.Owned(200)),
        // An agent's week and calendar: their own, or anyone's for a Manager or Admin.
        new("GET", "/agents/{id:int}/working-hours", c => Task.FromResult(Get($"/agents/{c.Owner.Id}/working-hours")), new Expect(200, 200, 200, 403)),
        new("PUT", "/agents/{id:int}/working-hours", c => Task.FromResult(Put($"/agents/{c.Owner.Id}/working-hours",
            new { days = AllWeek })), new Expect(200, 200, 200, 403)),
        new("GET", "/agents/{id:int}/calendar", c => Task.FromResult(Get($"/agents/{c.Owner.Id}/calendar?from=2026-11-01&to=2026-11-30")), new Expect(200, 200, 200, 403)),
    ];
}
