using System.Net;
using EstateVoice.Server.Tests.Infrastructure;

namespace EstateVoice.Server.Tests.Features.Crm;

public class TrailingSlashTests
{
    [Fact]
    public async Task Every_route_answers_with_and_without_a_trailing_slash()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, new() { ["SEED_DEMO_DATA"] = "true" });
        var client = await app.ClientForRoleAsync(EstateVoice.Server.Features.Auth.UserRole.Admin);
        string[] paths = ["/properties", "/properties/1", "/leads", "/leads/1", "/calls", "/calls/1", "/showings", "/showings/1",
            "/reports/summary", "/admin/users", "/admin/users/1", "/users/agents", "/auth/me"];
        foreach (var path in paths)
        {
            Assert.Equal((path, HttpStatusCode.OK), (path, (await client.GetAsync(path)).StatusCode));
            Assert.Equal((path + "/", HttpStatusCode.OK), (path + "/", (await client.GetAsync(path + "/")).StatusCode));
        }
    }
}
