using static EstateVoice.Server.Tests.Authorization.MatrixContext;

namespace EstateVoice.Server.Tests.Authorization;

/// <summary>Reports: everyone gets one; an Agent's covers only their own data (ReportsApiTests checks the figures).</summary>
public static class ReportsRows
{
    public static IEnumerable<MatrixRow> All =>
    [
        new("GET", "/reports/summary", _ => Task.FromResult(Get("/reports/summary")), Expect.Everyone(200)),
        // Speed to lead: an Agent's covers only the leads they see (SpeedToLeadTests checks the figures).
        new("GET", "/reports/speed-to-lead", _ => Task.FromResult(Get("/reports/speed-to-lead")), Expect.Everyone(200)),
    ];
}
