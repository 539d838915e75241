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
