using System.Net;
using System.Net.Http.Json;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Leads;

public class LeadsApiTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Agents_list_only_their_own_leads_and_managers_list_all(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var mine = await world.NewLeadAsync(world.AgentA, LeadStatus.Qualified, "Dana Whitfield");
        var mineNew = await world.NewLeadAsync(world.AgentA, LeadStatus.New, "Eli Marsh");
        var theirs = await world.NewLeadAsync(world.AgentB, LeadStatus.Qualified, "Dana Other");
        var unassigned = await world.NewLeadAsync(null);

        var agent = await app.ClientForAsync(world.AgentA);
        var manager = await app.ClientForAsync(world.Manager);

        Assert.Equal([mineNew.Id, mine.Id], (await agent.GetJsonAsync("/leads/?sort=-created_at")).Ids().OrderByDescending(i => i).ToList());
        Assert.Equal([mine.Id], (await agent.GetJsonAsync("/leads?q=dana")).Ids());
        Assert.Empty((await agent.GetJsonAsync($"/leads?assigned_agent_id={world.AgentB.Id}")).Ids());
        Assert.Equal(4, (await manager.GetJsonAsync("/leads/")).Total());
        Assert.Equal([theirs.Id, mine.Id], (await manager.GetJsonAsync("/leads/?status=qualified&sort=-created_at")).Ids().OrderByDescending(i => i).ToList());
        Assert.Equal([theirs.Id], (await manager.GetJsonAsync($"/leads/?assigned_agent_id={world.AgentB.Id}")).Ids());
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/leads/{theirs.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/leads/{unassigned.Id}")).StatusCode);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task An_agents_new_lead_is_theirs_and_qualification_is_dated(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var agent = await app.ClientForAsync(world.AgentA);

        var created = await agent.PostAsJsonAsync("/leads", new
        {
            name = "Sam Rivera", phone = "+15125550142", email = "sam@example.com", intent = "buy", budget_min = 350000, budget_max = 425000.5,
            pre_approved = true, timeline = "3 months", preferred_areas = new[] { "Austin", "Round Rock" }, bedrooms = 3,
            consent_to_call = true, time_zone = "America/Chicago", source = "referral",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt32();

        app.Time.Advance(TimeSpan.FromHours(2));
        var (status, patched) = await agent.SendJsonAsync(HttpMethod.Patch, $"/leads/{id}", new { status = "qualified", do_not_call = true });
        Assert.Equal(200, status);
        Assert.Equal("qualified", patched.GetProperty("status").GetString());

        var lead = await app.WithDbAsync(d => d.Leads.AsNoTracking().SingleAsync(l => l.Id == id));
        Assert.Equal(world.AgentA.Id, lead.AssignedAgentId);
        Assert.Equal(425_000.5m, lead.BudgetMax);
        Assert.Equal(["Austin", "Round Rock"], lead.PreferredAreas);
        Assert.True(lead.DoNotCall);
        Assert.True(lead.PreApproved);
        Assert.Equal(LeadSource.Referral, lead.Source);
        Assert.Equal(app.Time.GetUtcNow(), lead.QualifiedAt);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Managers_assign_leads_and_the_new_agent_sees_them(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var lead = await world.NewLeadAsync(world.AgentB);
        var manager = await app.ClientForAsync(world.Manager);
        var agentA = await app.ClientForAsync(world.AgentA);
        Assert.Equal(HttpStatusCode.NotFound, (await agentA.GetAsync($"/leads/{lead.Id}")).StatusCode);

        var (status, body) = await manager.SendJsonAsync(HttpMethod.Post, $"/leads/{lead.Id}/assign", new { agent_id = world.AgentA.Id });

        Assert.Equal(200, status);
        Assert.Equal(world.AgentA.Name, body.GetProperty("assigned_agent_name").GetString());
        Assert.Equal(world.AgentA.Id, await app.WithDbAsync(d => d.Leads.Where(l => l.Id == lead.Id).Select(l => l.AssignedAgentId).SingleAsync()));
        Assert.Equal(HttpStatusCode.OK, (await agentA.GetAsync($"/leads/{lead.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agentA.PostAsJsonAsync($"/leads/{lead.Id}/assign", new { agent_id = world.AgentB.Id })).StatusCode);
    }

    [Fact]
    public async Task An_agent_cannot_reach_another_agents_lead_to_update_it()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite);
        var world = await CrmWorld.CreateAsync(app);
        var theirs = await world.NewLeadAsync(world.AgentB, name: "Untouched");
        var agentA = await app.ClientForAsync(world.AgentA);

        var response = await agentA.PatchAsJsonAsync($"/leads/{theirs.Id}", new { name = "Hijacked" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Untouched", await app.WithDbAsync(d => d.Leads.Where(l => l.Id == theirs.Id).Select(l => l.Name).SingleAsync()));
    }
}
