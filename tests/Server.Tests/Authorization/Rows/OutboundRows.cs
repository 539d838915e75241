using EstateVoice.Server.Features.Outbound.Compliance;
using static EstateVoice.Server.Tests.Authorization.MatrixContext;

namespace EstateVoice.Server.Tests.Authorization;

/// <summary>The team's do-not-call list is for Managers and Admins; the national registry upload is Admin only.</summary>
public static class OutboundRows
{
    private static int _next;

    private static string NewNumber() => $"+1212555{Interlocked.Increment(ref _next) % 10000:D4}";

    public static IEnumerable<MatrixRow> All =>
    [
        new("GET", "/admin/do-not-call/", _ => Task.FromResult(Get("/admin/do-not-call/?q=212")), Expect.ManagerOrAdmin(200)),
        new("POST", "/admin/do-not-call/", _ => Task.FromResult(Post("/admin/do-not-call/", new { phone = NewNumber(), reason = "asked by email" })),
            Expect.ManagerOrAdmin(201)),
        new("DELETE", "/admin/do-not-call/{id:int}", async c => Delete($"/admin/do-not-call/{await c.World.App.WithDbAsync(async db =>
        {
            var entry = new DoNotCallEntry { Phone = NewNumber(), Source = DoNotCallSources.Admin };
            db.Set<DoNotCallEntry>().Add(entry);
            await db.SaveChangesAsync();
            return entry.Id;
        })}"), Expect.ManagerOrAdmin(204)),
        new("POST", "/admin/do-not-call/registry/", _ => Task.FromResult(Post("/admin/do-not-call/registry/",
            new MultipartFormDataContent { { new StringContent("2125550100\n"), "file", "registry.txt" } })), Expect.AdminOnly(201)),
        new("GET", "/admin/do-not-call/registry/", _ => Task.FromResult(Get("/admin/do-not-call/registry/")), Expect.AdminOnly(200)),
    ];
}
