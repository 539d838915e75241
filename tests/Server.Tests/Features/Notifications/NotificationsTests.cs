using System.Net;
using System.Net.Http.Json;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Notifications;

public class NotificationsTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task An_assigned_lead_notifies_the_agent_unread_first_and_read_marks_stick(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var first = await world.NewLeadAsync(null, name: "Maria Lopez");
        var second = await world.NewLeadAsync(null, name: "Sam Rivera");
        var manager = await app.ClientForAsync(world.Manager);
        var agent = await app.ClientForAsync(world.AgentA);

        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsJsonAsync($"/leads/{first.Id}/assign", new { agent_id = world.AgentA.Id })).StatusCode);
        app.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsJsonAsync($"/leads/{second.Id}/assign", new { agent_id = world.AgentA.Id })).StatusCode);
        // Assigning it again to the same agent is no news.
        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsJsonAsync($"/leads/{second.Id}/assign", new { agent_id = world.AgentA.Id })).StatusCode);

        var page = await agent.GetJsonAsync("/notifications");
        Assert.Equal(2, page.GetProperty("unread").GetInt32());
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["New lead assigned to you: Sam Rivera", "New lead assigned to you: Maria Lopez"], items.Select(i => i.GetProperty("title").GetString()));
        Assert.Equal("lead_assigned", items[0].GetProperty("kind").GetString());
        Assert.Equal($"/leads/{second.Id}", items[0].GetProperty("link").GetString());
        Assert.Equal(0, (await (await app.ClientForAsync(world.AgentB)).GetJsonAsync("/notifications")).GetProperty("total").GetInt32());

        // Reading the newer one puts the older (unread) first; another user cannot read it.
        var newer = items[0].GetProperty("id").GetInt64();
        var other = await app.ClientForAsync(world.AgentB);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/notifications/{newer}/read", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await agent.PostAsync($"/notifications/{newer}/read", null)).StatusCode);
        page = await agent.GetJsonAsync("/notifications");
        Assert.Equal(1, page.GetProperty("unread").GetInt32());
        Assert.Equal(["New lead assigned to you: Maria Lopez", "New lead assigned to you: Sam Rivera"],
            page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()));

        var (status, readAll) = await agent.SendJsonAsync(HttpMethod.Post, "/notifications/read-all");
        Assert.Equal(200, status);
        Assert.Equal(1, readAll.GetProperty("marked").GetInt32());
        Assert.Equal(0, await app.WithDbAsync(d => d.Notifications.CountAsync(n => n.UserId == world.AgentA.Id && n.ReadAt == null)));
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.GetAsync("/notifications?page_size=1000")).StatusCode);
    }

    [Fact]
    public async Task A_notification_is_emailed_to_the_user_through_smtp()
    {
        await using var smtp = FakeSmtpServer.Start();
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, smtp.Settings);
        var world = await CrmWorld.CreateAsync(app);
        var lead = await world.NewLeadAsync(null, name: "Maria Lopez");
        var manager = await app.ClientForAsync(world.Manager);

        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsJsonAsync($"/leads/{lead.Id}/assign", new { agent_id = world.AgentA.Id })).StatusCode);

        var message = await smtp.NextAsync();
        Assert.Equal(world.AgentA.Email, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("noreply@example.com", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal("Estate Voice: New lead assigned to you: Maria Lopez", message.Subject);
        Assert.Contains($"/leads/{lead.Id}", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("New lead assigned to you: Maria Lopez", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_smtp_server_never_fails_the_request()
    {
        await using var smtp = FakeSmtpServer.Start();
        var settings = smtp.Settings;
        await smtp.DisposeAsync();
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, settings);
        var world = await CrmWorld.CreateAsync(app);
        var lead = await world.NewLeadAsync(null);
        var manager = await app.ClientForAsync(world.Manager);

        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsJsonAsync($"/leads/{lead.Id}/assign", new { agent_id = world.AgentA.Id })).StatusCode);
        Assert.Equal(1, await app.WithDbAsync(d => d.Notifications.CountAsync(n => n.UserId == world.AgentA.Id)));
    }
}
