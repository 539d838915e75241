using EstateVoice.Server.Features.Auth;
using static EstateVoice.Server.Tests.Authorization.MatrixContext;

namespace EstateVoice.Server.Tests.Authorization;

/// <summary>User management is Admin only; the agent picker is for Managers and Admins.</summary>
public static class AdminRows
{
    public static IEnumerable<MatrixRow> All =>
    [
        new("GET", "/admin/users/", _ => Task.FromResult(Get("/admin/users/")), Expect.AdminOnly(200)),
        new("GET", "/admin/users/{id:int}", async c => Get($"/admin/users/{await c.UserAsync()}"), Expect.AdminOnly(200)),
        new("POST", "/admin/users/", _ => Task.FromResult(Post("/admin/users/", new
        {
            email = $"new-{Guid.NewGuid():N}@example.com", name = "New Agent", role = "agent", password = "long-enough-pw",
        })), Expect.AdminOnly(201)),
        new("PUT", "/admin/users/{id:int}", async c => Put($"/admin/users/{await c.UserAsync()}", new { name = "Renamed", role = "manager" }),
            Expect.AdminOnly(200)),
        new("PATCH", "/admin/users/{id:int}", async c => Patch($"/admin/users/{await c.UserAsync()}", new { phone = "+15125550111" }),
            Expect.AdminOnly(200)),
        new("POST", "/admin/users/{id:int}/deactivate", async c => Post($"/admin/users/{await c.UserAsync(UserRole.Agent)}/deactivate"),
            Expect.AdminOnly(200)),
        new("GET", "/admin/integrations/", _ => Task.FromResult(Get("/admin/integrations/")), Expect.AdminOnly(200)),
        new("POST", "/admin/integrations/{name}/test", _ => Task.FromResult(Post("/admin/integrations/storage/test")), Expect.AdminOnly(200)),
        new("GET", "/admin/integration-keys/", _ => Task.FromResult(Get("/admin/integration-keys/")), Expect.AdminOnly(200)),
        new("POST", "/admin/integration-keys/", _ => Task.FromResult(Post("/admin/integration-keys/", new { site = "www.example-realty.com" })),
            Expect.AdminOnly(201)),
        new("DELETE", "/admin/integration-keys/{id:int}", async c => Delete($"/admin/integration-keys/{await c.World.App.WithDbAsync(async db =>
        {
            var key = new Server.Features.Leads.Intake.IntegrationKey { Site = "matrix", KeyHash = Guid.NewGuid().ToString("N"), Prefix = "evk_matrix" };
            db.IntegrationKeys.Add(key);
            await db.SaveChangesAsync();
            return key.Id;
        })}"), Expect.AdminOnly(204)),
        new("GET", "/admin/lead-routing/", _ => Task.FromResult(Get("/admin/lead-routing/")), Expect.AdminOnly(200)),
        new("PUT", "/admin/lead-routing/", _ => Task.FromResult(Put("/admin/lead-routing/", new { mode = "round_robin" })), Expect.AdminOnly(200)),
        new("GET", "/users/agents", _ => Task.FromResult(Get("/users/agents")), Expect.ManagerOrAdmin(200)),
    ];
}
