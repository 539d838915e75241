using System.Net;
using System.Net.Http.Json;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Leads.Timeline;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Leads;

/// <summary>A lead's timeline (calls, showings, notes, status changes, assignments) and its notes.</summary>
public class LeadWorkspaceTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task The_timeline_lists_calls_showings_notes_status_changes_and_assignments_newest_first(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var lead = await world.NewLeadAsync(world.AgentA, name: "Tia Timeline");
        var now = app.Time.GetUtcNow();
        await world.NewCallAsync(lead, world.AgentA, startedAt: now.AddMinutes(1), summary: "Wants a 3-bed in Austin.");
        app.Time.Advance(TimeSpan.FromMinutes(2));
        await world.NewShowingAsync(lead, await world.NewPropertyAsync(), world.AgentA, createdAt: app.Time.GetUtcNow());
        var agent = await app.ClientForAsync(world.AgentA);
        var manager = await app.ClientForAsync(world.Manager);

        app.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(200, (await agent.SendJsonAsync(HttpMethod.Patch, $"/leads/{lead.Id}", new { status = "contacted" })).Status);
        app.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Created, (await agent.PostAsJsonAsync($"/leads/{lead.Id}/notes", new { body = "Prefers evening calls." })).StatusCode);
        app.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(200, (await manager.SendJsonAsync(HttpMethod.Post, $"/leads/{lead.Id}/assign", new { agent_id = world.AgentB.Id })).Status);

        var page = await manager.GetJsonAsync($"/leads/{lead.Id}/timeline");
        var kinds = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["assignment", "note", "status_change", "showing", "call", "created"], kinds);
        Assert.Equal(6, page.Total());
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal($"Assigned to {world.AgentB.Name}", items[0].GetProperty("title").GetString());
        Assert.Equal(world.Manager.Name, items[0].GetProperty("actor_name").GetString());
        Assert.Equal("Status new → contacted", items[2].GetProperty("title").GetString());
        Assert.Equal(world.AgentA.Name, items[2].GetProperty("actor_name").GetString());
        Assert.Equal("Wants a 3-bed in Austin.", items[4].GetProperty("detail").GetString());

        // Paged: the second page of two holds the next two, still newest first.
        var second = await manager.GetJsonAsync($"/leads/{lead.Id}/timeline?page=2&page_size=2");
        Assert.Equal(["status_change", "showing"], second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("kind").GetString()).ToList());

        // Agent A no longer has the lead: its timeline is not found.
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/leads/{lead.Id}/timeline")).StatusCode);
        var (status, problem) = await manager.SendJsonAsync(HttpMethod.Get, $"/leads/{lead.Id}/timeline?page=500&page_size=100");
        Assert.Equal(400, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("page", out _));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Status_changes_from_imports_and_bookings_are_recorded_once_with_no_change_recorded_for_a_same_value_save(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var lead = await world.NewLeadAsync(world.AgentA, LeadStatus.New);
        var agent = await app.ClientForAsync(world.AgentA);

        Assert.Equal(200, (await agent.SendJsonAsync(HttpMethod.Patch, $"/leads/{lead.Id}", new { status = "new", notes = "same status" })).Status);
        Assert.Equal(200, (await agent.SendJsonAsync(HttpMethod.Patch, $"/leads/{lead.Id}", new { status = "won" })).Status);

        var rows = await app.WithDbAsync(d => d.Set<LeadActivity>().AsNoTracking().Where(a => a.LeadId == lead.Id).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal([LeadActivityKind.Created, LeadActivityKind.StatusChanged], rows.Select(r => r.Kind));
        Assert.Equal((LeadStatus?)LeadStatus.New, rows[1].FromStatus);
        Assert.Equal((LeadStatus?)LeadStatus.Won, rows[1].ToStatus);
        Assert.Equal(world.AgentA.Id, rows[1].ActorUserId);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Notes_are_listed_newest_first_and_deleted_by_their_author_or_a_manager(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var lead = await world.NewLeadAsync(world.AgentA);
        var agent = await app.ClientForAsync(world.AgentA);
        var manager = await app.ClientForAsync(world.Manager);
        var other = await app.ClientForAsync(world.AgentB);

        var first = await agent.SendJsonAsync(HttpMethod.Post, $"/leads/{lead.Id}/notes", new { body = "  First  " });
        app.Time.Advance(TimeSpan.FromSeconds(5));
        var managers = await manager.SendJsonAsync(HttpMethod.Post, $"/leads/{lead.Id}/notes", new { body = "From the manager" });
        Assert.Equal((201, 201), (first.Status, managers.Status));
        Assert.Equal("First", first.Body.GetProperty("body").GetString());

        var list = await agent.GetJsonAsync($"/leads/{lead.Id}/notes");
        Assert.Equal(["From the manager", "First"], list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("body").GetString()).ToList());

        var managerNote = managers.Body.GetProperty("id").GetInt32();
        var agentNote = first.Body.GetProperty("id").GetInt32();
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.DeleteAsync($"/leads/{lead.Id}/notes/{managerNote}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/leads/{lead.Id}/notes/{agentNote}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await manager.DeleteAsync($"/leads/{lead.Id}/notes/{agentNote}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await manager.DeleteAsync($"/leads/{lead.Id}/notes/{managerNote}")).StatusCode);
        Assert.Equal(0, await app.WithDbAsync(d => d.Set<EstateVoice.Server.Features.Leads.Notes.LeadNote>().CountAsync()));

        var (status, problem) = await agent.SendJsonAsync(HttpMethod.Post, $"/leads/{lead.Id}/notes", new { body = "   " });
        Assert.Equal(400, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Leads_sort_by_agent_and_a_bad_sort_names_the_field(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var a = await world.NewLeadAsync(world.AgentA);
        var b = await world.NewLeadAsync(world.AgentB);
        var none = await world.NewLeadAsync(null);
        var manager = await app.ClientForAsync(world.Manager);
        await app.WithDbAsync(d => d.Users.Where(u => u.Id == world.AgentA.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Name, "Zoe Zeller")));
        await app.WithDbAsync(d => d.Users.Where(u => u.Id == world.AgentB.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Name, "Abe Adams")));
        int[] expected = [b.Id, a.Id];

        Assert.Equal([.. expected, none.Id], (await manager.GetJsonAsync("/leads/?sort=assigned_agent_name")).Ids());
        Assert.Equal([.. expected.Reverse(), none.Id], (await manager.GetJsonAsync("/leads/?sort=-assigned_agent_name")).Ids());
        var (status, problem) = await manager.SendJsonAsync(HttpMethod.Get, "/leads/?sort=shoe_size");
        Assert.Equal(400, status);
        Assert.Contains("assigned_agent_name", problem.GetProperty("errors").GetProperty("sort")[0].GetString());
    }
}
