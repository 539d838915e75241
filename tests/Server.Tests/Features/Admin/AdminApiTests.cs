using System.Net;
using System.Net.Http.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Admin;

public class AdminApiTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task An_admin_creates_a_user_who_can_then_sign_in(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var admin = await app.ClientForRoleAsync(UserRole.Admin);

        var created = await admin.PostAsJsonAsync("/admin/users", new { email = "New.Agent@Example.com", name = "New Agent", role = "agent", password = "s3cret-pass", phone = "+15125550177" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var stored = await app.WithDbAsync(d => d.Users.AsNoTracking().SingleAsync(u => u.Email == "new.agent@example.com"));
        Assert.Equal(UserRole.Agent, stored.Role);
        Assert.NotEqual("s3cret-pass", stored.PasswordHash);
        var login = await app.CreateClient().PostAsJsonAsync("/auth/login", new { email = "new.agent@example.com", password = "s3cret-pass" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var list = await admin.GetJsonAsync("/admin/users/?role=agent&q=new");
        Assert.Equal([stored.Id], list.Ids());
        Assert.False(list.GetProperty("items")[0].TryGetProperty("password_hash", out _));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Deactivation_locks_the_user_out_but_never_yourself_or_the_last_admin(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var admin = await app.ClientForAsync(world.Admin);
        var agent = await app.ClientForAsync(world.AgentA);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/admin/users/{world.AgentA.Id}/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await agent.GetAsync("/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/admin/users/{world.Admin.Id}/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PutAsJsonAsync($"/admin/users/{world.Admin.Id}", new { name = "Me", role = "manager" })).StatusCode);
        Assert.True(await app.WithDbAsync(d => d.Users.Where(u => u.Id == world.Admin.Id).Select(u => u.IsActive && u.Role == UserRole.Admin).SingleAsync()));

        // With a second admin, the first may step down.
        var second = await app.CreateUserAsync(UserRole.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync($"/admin/users/{world.Admin.Id}", new { role = "manager" })).StatusCode);
        Assert.Equal(UserRole.Manager, await app.WithDbAsync(d => d.Users.Where(u => u.Id == world.Admin.Id).Select(u => u.Role).SingleAsync()));
        Assert.True(second.IsActive);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Two_admins_removing_each_other_at_the_same_moment_leave_one_admin(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        for (var round = 0; round < 6; round++)
        {
            // Exactly two active admins at the start of each round.
            await app.WithDbAsync(d => d.Users.Where(u => u.Role == UserRole.Admin).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, UserRole.Manager)));
            var (a, b) = (await app.CreateUserAsync(UserRole.Admin), await app.CreateUserAsync(UserRole.Admin));
            var (clientA, clientB) = (await app.ClientForAsync(a), await app.ClientForAsync(b));

            var responses = await Task.WhenAll(
                round % 2 == 0
                    ? clientA.PatchAsJsonAsync($"/admin/users/{b.Id}", new { role = "manager" })
                    : clientA.PostAsync($"/admin/users/{b.Id}/deactivate", null),
                clientB.PatchAsJsonAsync($"/admin/users/{a.Id}", new { role = "agent" }));

            var admins = await app.WithDbAsync(d => d.Users.CountAsync(u => u.Role == UserRole.Admin && u.IsActive));
            var statuses = string.Join(", ", responses.Select(r => (int)r.StatusCode));
            Assert.True(admins == 1, $"round {round}: {admins} active admins left; responses {statuses}");
            // One change went through; the other was refused as the last admin's, or its sender was no longer an admin.
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            Assert.Single(responses, r => r.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.Unauthorized);
        }
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task The_agent_picker_lists_active_agents_by_name(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        await app.CreateUserAsync(UserRole.Agent, active: false);
        var manager = await app.ClientForAsync(world.Manager);

        var agents = await manager.GetJsonAsync("/users/agents");

        var expected = new[] { world.AgentA, world.AgentB }.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => a.Id);
        Assert.Equal(expected, agents.EnumerateArray().Select(a => a.GetProperty("id").GetInt32()));
    }
}
