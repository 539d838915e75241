using static EstateVoice.Server.Tests.Authorization.MatrixContext;

namespace EstateVoice.Server.Tests.Authorization;

/// <summary>Calls: an Agent sees calls on their leads or handled by them; another agent's call answers 404.</summary>
public static class CallsRows
{
    public static IEnumerable<MatrixRow> All =>
    [
        new("GET", "/calls/", _ => Task.FromResult(Get("/calls/")), Expect.Everyone(200)),
        new("GET", "/calls/export.csv", _ => Task.FromResult(Get("/calls/export.csv")), Expect.Everyone(200)),
        new("GET", "/calls/{id:int}", async c => Get($"/calls/{await c.OwnedCallAsync()}"), Expect.Owned(200)),
    ];
}
