using System.Net;
using System.Net.Http.Json;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Showings;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Showings;

public class ShowingsApiTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Booking_writes_a_scheduled_showing_and_moves_the_lead_along(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var lead = await world.NewLeadAsync(world.AgentA, LeadStatus.Contacted, "Ana Lopez");
        var property = await world.NewPropertyAsync();
        var client = await app.ClientForAsync(world.AgentA);
        var startsAt = app.Time.GetUtcNow().AddDays(1).AddHours(2);

        var response = await client.PostAsJsonAsync("/showings", new { lead_id = lead.Id, property_id = property.Id, starts_at = startsAt, notes = "Bring the dog" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("Ana Lopez", body.GetProperty("lead_name").GetString());
        Assert.Equal(property.Address, body.GetProperty("property_address").GetString());
        Assert.Equal("staff", body.GetProperty("source").GetString());
        var showing = await app.WithDbAsync(d => d.Showings.AsNoTracking().SingleAsync());
        Assert.Equal((startsAt, startsAt.AddHours(1), ShowingStatus.Scheduled, world.AgentA.Id), (showing.StartsAt, showing.EndsAt, showing.Status, showing.AgentId));
        var stored = await app.WithDbAsync(d => d.Leads.AsNoTracking().SingleAsync(l => l.Id == lead.Id));
        Assert.Equal(LeadStatus.Showing, stored.Status);
        Assert.Equal(app.Time.GetUtcNow(), stored.QualifiedAt);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task The_same_property_cannot_be_double_booked_until_the_first_is_canceled(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var property = await world.NewPropertyAsync();
        var leadA = await world.NewLeadAsync(world.AgentA);
        var leadB = await world.NewLeadAsync(world.AgentB);
        var manager = await app.ClientForAsync(world.Manager);
        var start = app.Time.GetUtcNow().AddDays(2);

        var first = await manager.PostAsJsonAsync("/showings/", new { lead_id = leadA.Id, property_id = property.Id, starts_at = start });
        var overlapping = await manager.PostAsJsonAsync("/showings/", new { lead_id = leadB.Id, property_id = property.Id, starts_at = start.AddMinutes(30) });
        var adjacent = await manager.PostAsJsonAsync("/showings/", new { lead_id = leadB.Id, property_id = property.Id, starts_at = start.AddHours(1) });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, overlapping.StatusCode);
        Assert.Equal("application/problem+json", overlapping.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Created, adjacent.StatusCode);
        Assert.Equal(2, await app.WithDbAsync(d => d.Showings.CountAsync()));

        var firstId = (await first.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt32();
        var (cancelStatus, canceled) = await manager.SendJsonAsync(HttpMethod.Post, $"/showings/{firstId}/cancel");
        Assert.Equal(200, cancelStatus);
        Assert.Equal("canceled", canceled.GetProperty("status").GetString());
        var retry = await manager.PostAsJsonAsync("/showings/", new { lead_id = leadB.Id, property_id = property.Id, starts_at = start.AddMinutes(30), duration_minutes = 30 });
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Lists_filter_by_range_and_status_and_agents_see_only_their_own(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var now = app.Time.GetUtcNow();
        var property = await world.NewPropertyAsync();
        var past = await world.NewShowingAsync(await world.NewLeadAsync(world.AgentA), property, world.AgentA, now.AddDays(-3), ShowingStatus.Completed);
        var upcoming = await world.NewShowingAsync(await world.NewLeadAsync(world.AgentA), property, world.AgentA, now.AddDays(3));
        var theirs = await world.NewShowingAsync(await world.NewLeadAsync(world.AgentB), property, world.AgentB, now.AddDays(4));
        var agent = await app.ClientForAsync(world.AgentA);
        var manager = await app.ClientForAsync(world.Manager);

        Assert.Equal([upcoming.Id, past.Id], (await agent.GetJsonAsync("/showings/")).Ids());
        Assert.Equal([theirs.Id, upcoming.Id, past.Id], (await manager.GetJsonAsync("/showings")).Ids());
        Assert.Equal([upcoming.Id, theirs.Id], (await manager.GetJsonAsync($"/showings/?from={now:O}&sort=starts_at".Replace("+", "%2B"))).Ids());
        Assert.Equal([past.Id], (await manager.GetJsonAsync("/showings/?status=completed")).Ids());
        Assert.Equal([theirs.Id], (await manager.GetJsonAsync($"/showings/?agent_id={world.AgentB.Id}")).Ids());
        Assert.Equal(HttpStatusCode.NotFound, (await agent.PostAsync($"/showings/{theirs.Id}/cancel", null)).StatusCode);
        Assert.Equal(ShowingStatus.Scheduled, await app.WithDbAsync(d => d.Showings.Where(s => s.Id == theirs.Id).Select(s => s.Status).SingleAsync()));
        Assert.Equal(HttpStatusCode.Conflict, (await manager.PostAsync($"/showings/{past.Id}/cancel", null)).StatusCode);
    }
}
