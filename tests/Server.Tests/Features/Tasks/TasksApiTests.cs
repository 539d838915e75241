using System.Net;
using EstateVoice.Server.Features.Tasks;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Tasks;

public class TasksApiTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task My_tasks_list_open_ones_overdue_first_then_by_due_date(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var lead = await world.NewLeadAsync(world.AgentA);
        var agent = await app.ClientForAsync(world.AgentA);
        var manager = await app.ClientForAsync(world.Manager);
        var now = app.Time.GetUtcNow();

        async Task<int> Create(HttpClient client, object body)
        {
            var (status, task) = await client.SendJsonAsync(HttpMethod.Post, "/tasks", body);
            Assert.Equal(201, status);
            return task.GetProperty("id").GetInt32();
        }
        var nextWeek = await Create(agent, new { title = "Send listings", due_at = now.AddDays(7), lead_id = lead.Id });
        var undated = await Create(agent, new { title = "Someday" });
        var overdue = await Create(agent, new { title = "Call back", due_at = now.AddHours(-3), lead_id = lead.Id });
        var tomorrow = await Create(manager, new { title = "Prep showing", due_at = now.AddDays(1), assignee_id = world.AgentA.Id });
        var done = await Create(agent, new { title = "Done already", due_at = now.AddDays(-9) });
        var managers = await Create(manager, new { title = "Manager's own", due_at = now.AddHours(-1), assignee_id = world.Manager.Id });
        var (patchStatus, patched) = await agent.SendJsonAsync(HttpMethod.Patch, $"/tasks/{done}", new { done = true });
        Assert.Equal(200, patchStatus);
        Assert.True(patched.GetProperty("done").GetBoolean());

        var mine = await agent.GetJsonAsync("/tasks?mine=true");
        Assert.Equal([overdue, tomorrow, nextWeek, undated, done], mine.Ids());
        Assert.True(mine.GetProperty("items")[0].GetProperty("overdue").GetBoolean());
        Assert.False(mine.GetProperty("items")[1].GetProperty("overdue").GetBoolean());
        Assert.Equal([overdue, nextWeek], (await agent.GetJsonAsync($"/tasks?lead_id={lead.Id}")).Ids());
        Assert.Equal([overdue, tomorrow, nextWeek, undated], (await agent.GetJsonAsync("/tasks?mine=true&done=false")).Ids());

        // Agents see their own; a manager's task is not found for them; the manager's "mine" is only theirs.
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/tasks/{managers}")).StatusCode);
        Assert.Equal([managers], (await manager.GetJsonAsync("/tasks?mine=true")).Ids());
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.ClientForAsync(world.AgentB)).DeleteAsync($"/tasks/{overdue}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await agent.DeleteAsync($"/tasks/{overdue}")).StatusCode);
        Assert.Equal(5, await app.WithDbAsync(d => d.Set<FollowUpTask>().CountAsync()));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Bad_tasks_answer_400_naming_the_field_and_agents_cannot_assign_others(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var theirs = await world.NewLeadAsync(world.AgentB);
        var agent = await app.ClientForAsync(world.AgentA);

        var (status, problem) = await agent.SendJsonAsync(HttpMethod.Post, "/tasks", new { title = "x", lead_id = theirs.Id });
        Assert.Equal(400, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("lead_id", out _));
        (status, problem) = await agent.SendJsonAsync(HttpMethod.Post, "/tasks", new { title = "  " });
        Assert.Equal(400, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("title", out _));
        (status, problem) = await agent.SendJsonAsync(HttpMethod.Post, "/tasks", new { title = new string('t', 201) });
        Assert.Equal(400, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("title", out _));
        (status, _) = await agent.SendJsonAsync(HttpMethod.Post, "/tasks", new { title = "For B", assignee_id = world.AgentB.Id });
        Assert.Equal(403, status);
        (status, problem) = await agent.SendJsonAsync(HttpMethod.Get, "/tasks?page_size=1000");
        Assert.Equal(400, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("page_size", out _));
        Assert.Equal(0, await app.WithDbAsync(d => d.Set<FollowUpTask>().CountAsync()));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Team_board_counts_open_and_overdue_tasks_per_assignee_and_filters_by_assignee(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var manager = await app.ClientForAsync(world.Manager);
        var now = app.Time.GetUtcNow();
        async Task<int> Create(object body)
        {
            var (status, task) = await manager.SendJsonAsync(HttpMethod.Post, "/tasks", body);
            Assert.Equal(201, status);
            return task.GetProperty("id").GetInt32();
        }
        var aLate = await Create(new { title = "A late", due_at = now.AddHours(-2), assignee_id = world.AgentA.Id });
        var aLater = await Create(new { title = "A later", due_at = now.AddDays(2), assignee_id = world.AgentA.Id });
        var aDone = await Create(new { title = "A done", due_at = now.AddDays(-2), assignee_id = world.AgentA.Id });
        Assert.Equal(200, (await manager.SendJsonAsync(HttpMethod.Patch, $"/tasks/{aDone}", new { done = true })).Item1);
        var bLate1 = await Create(new { title = "B late 1", due_at = now.AddHours(-5), assignee_id = world.AgentB.Id });
        var bLate2 = await Create(new { title = "B late 2", due_at = now.AddHours(-1), assignee_id = world.AgentB.Id });
        var nobody = await Create(new { title = "Nobody's" });
        Assert.Equal(200, (await manager.SendJsonAsync(HttpMethod.Patch, $"/tasks/{nobody}", new { unassign = true })).Item1);

        var team = await manager.GetJsonAsync("/tasks/team");
        var rows = team.EnumerateArray()
            .Select(r => (Id: r.GetProperty("assignee_id").ValueKind == System.Text.Json.JsonValueKind.Null ? (int?)null : r.GetProperty("assignee_id").GetInt32(),
                Open: r.GetProperty("open").GetInt32(), Overdue: r.GetProperty("overdue").GetInt32()))
            .ToList();
        // Most overdue first; done tasks are not counted.
        Assert.Equal([((int?)world.AgentB.Id, 2, 2), (world.AgentA.Id, 2, 1), (null, 1, 0)], rows);
        Assert.Equal(world.AgentB.Name, team[0].GetProperty("assignee_name").GetString());

        Assert.Equal([aLate, aLater], (await manager.GetJsonAsync($"/tasks?done=false&assignee_id={world.AgentA.Id}")).Ids());
        Assert.Equal([bLate1, bLate2], (await manager.GetJsonAsync($"/tasks?done=false&assignee_id={world.AgentB.Id}")).Ids());
        Assert.Equal([nobody], (await manager.GetJsonAsync("/tasks?done=false&unassigned=true")).Ids());
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ClientForAsync(world.AgentA)).GetAsync("/tasks/team")).StatusCode);
    }
}
