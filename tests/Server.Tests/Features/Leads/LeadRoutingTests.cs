using System.Net;
using System.Net.Http.Json;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Leads.Routing;
using EstateVoice.Server.Features.Notifications;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EstateVoice.Server.Tests.Features.Leads;

public class LeadRoutingTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Round_robin_gives_every_turn_once_when_many_leads_arrive_at_once(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var admin = await app.ClientForAsync(world.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/admin/lead-routing", new { mode = "round_robin" })).StatusCode);

        // Each arrival in its own scope and connection, as on separate nodes sharing the database.
        var assigned = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var lead = new Lead { Name = $"Caller {i}", Phone = $"+1512555{i:0000}" };
            var routed = await scope.ServiceProvider.GetRequiredService<LeadRouter>().RouteAsync([lead], CancellationToken.None);
            return Assert.Single(routed).AssignedAgentId!.Value;
        }));

        Assert.Equal(10, assigned.Count(a => a == world.AgentA.Id));
        Assert.Equal(10, assigned.Count(a => a == world.AgentB.Id));
        Assert.Equal(20, await app.WithDbAsync(d => d.Set<LeadRoutingSettings>().Select(s => s.Turn).SingleAsync()));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_website_lead_is_routed_by_the_admins_setting_and_its_agent_notified(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var admin = await app.ClientForAsync(world.Admin);
        var key = (await (await admin.PostAsJsonAsync("/admin/integration-keys", new { site = "www.example.com" }))
            .Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("key").GetString();
        var site = app.CreateClient();
        site.DefaultRequestHeaders.Add("X-Integration-Key", key);

        // Off (the default): the lead stays unassigned.
        var first = await site.PostAsJsonAsync("/leads/intake", new { name = "Off Lead", phone = "+15125550101" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Null(await app.WithDbAsync(d => d.Leads.Where(l => l.Name == "Off Lead").Select(l => l.AssignedAgentId).SingleAsync()));

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/admin/lead-routing", new { mode = "round_robin" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await site.PostAsJsonAsync("/leads/intake", new { name = "Maria Lopez", phone = "+15125550102" })).StatusCode);

        var lead = await app.WithDbAsync(d => d.Leads.AsNoTracking().SingleAsync(l => l.Name == "Maria Lopez"));
        Assert.Equal(world.AgentA.Id, lead.AssignedAgentId);
        var note = await app.WithDbAsync(d => d.Notifications.AsNoTracking().SingleAsync(n => n.UserId == world.AgentA.Id));
        Assert.Equal(NotificationKind.LeadAssigned, note.Kind);
        Assert.Equal($"/leads/{lead.Id}", note.Link);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task By_area_matches_zip_prefixes_and_cities_and_refuses_a_non_agent(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var admin = await app.ClientForAsync(world.Admin);
        var (status, body) = await admin.SendJsonAsync(HttpMethod.Put, "/admin/lead-routing",
            new { mode = "by_area", areas = new[] { new { match = "787", agent_id = world.Manager.Id } } });
        Assert.Equal(400, status);
        Assert.True(body.GetProperty("errors").TryGetProperty("areas", out _));

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/admin/lead-routing", new
        {
            mode = "by_area",
            areas = new[] { new { match = "787", agent_id = world.AgentB.Id }, new { match = " austin ", agent_id = world.AgentA.Id } },
        })).StatusCode);
        var settings = await admin.GetJsonAsync("/admin/lead-routing");
        Assert.Equal("by_area", settings.GetProperty("mode").GetString());
        Assert.Equal("austin", settings.GetProperty("areas")[1].GetProperty("match").GetString());

        await using var scope = app.Services.CreateAsyncScope();
        var router = scope.ServiceProvider.GetRequiredService<LeadRouter>();
        var zip = new Lead { Name = "Zip", Phone = "+15125550103", PreferredAreas = ["78701"] };
        var city = new Lead { Name = "City", Phone = "+15125550104", PreferredAreas = ["Round Rock", "Austin"] };
        var elsewhere = new Lead { Name = "Elsewhere", Phone = "+15125550105", PreferredAreas = ["Dallas"] };
        var routed = await router.RouteAsync([zip, city, elsewhere], CancellationToken.None);

        Assert.Equal(2, routed.Count);
        Assert.Equal(world.AgentB.Id, zip.AssignedAgentId);
        Assert.Equal(world.AgentA.Id, city.AssignedAgentId);
        Assert.Null(elsewhere.AssignedAgentId);
    }
}
