using EstateVoice.Server.Features.Calls.Analysis;
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
        new("PUT", "/calls/{id:int}/analysis/", async c => Put($"/calls/{await c.OwnedCallAsync()}/analysis",
            new { summary = "Corrected.", sentiment = "neutral", success = false }), Expect.Owned(200)),
        new("POST", "/calls/{id:int}/analysis/apply-to-lead", async c => Post($"/calls/{await AnalysedCallAsync(c)}/analysis/apply-to-lead"), Expect.Owned(200)),
    ];

    /// <summary>A call of the owner's with a finished analysis (so accepting it has something to apply).</summary>
    private static async Task<int> AnalysedCallAsync(MatrixContext c)
    {
        var id = await c.OwnedCallAsync();
        await c.World.App.WithDbAsync(async db =>
        {
            var now = c.World.App.Time.GetUtcNow();
            db.CallAnalyses.Add(new CallAnalysis
            {
                CallId = id, Status = AnalysisStatus.Done, Summary = "Wants to buy.", Source = AnalysisSource.Offline,
                FieldsJson = """{"bedrooms":{"value":3,"confidence":0.7}}""", CreatedAt = now, UpdatedAt = now,
            });
            await db.SaveChangesAsync();
        });
        return id;
    }
}
