using System.Text;
using EstateVoice.Server.Features.Showings;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Showings;

/// <summary>A showing's moves after booking (issue 15) and its calendar invite.</summary>
public class ShowingLifecycleTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_showing_is_confirmed_then_completed_and_illegal_moves_are_refused(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var showing = await world.NewShowingAsync(await world.NewLeadAsync(world.AgentA), await world.NewPropertyAsync(), world.AgentA, app.Time.GetUtcNow().AddHours(2));
        var agent = await app.ClientForAsync(world.AgentA);
        var path = $"/showings/{showing.Id}";

        Assert.Equal(400, (await agent.SendJsonAsync(HttpMethod.Post, $"{path}/status", new { status = "done" })).Status);
        var confirmed = await agent.SendJsonAsync(HttpMethod.Post, $"{path}/status", new { status = "confirmed" });
        Assert.Equal((200, "confirmed"), (confirmed.Status, confirmed.Body.GetProperty("status").GetString()));
        var early = await agent.SendJsonAsync(HttpMethod.Post, $"{path}/status", new { status = "completed" });
        Assert.Equal(422, early.Status);
        Assert.Equal(422, (await agent.SendJsonAsync(HttpMethod.Post, $"{path}/status", new { status = "scheduled" })).Status);

        app.Time.Advance(TimeSpan.FromHours(3));
        Assert.Equal(200, (await agent.SendJsonAsync(HttpMethod.Post, $"{path}/status", new { status = "completed" })).Status);
        var cancel = await agent.SendJsonAsync(HttpMethod.Post, $"{path}/cancel");
        Assert.Equal(409, cancel.Status);
        Assert.Equal("application/problem+json", (await agent.PostAsync($"{path}/cancel", null)).Content.Headers.ContentType?.MediaType);
        Assert.Equal(409, (await agent.SendJsonAsync(HttpMethod.Post, $"{path}/status", new { status = "no_show" })).Status);
        Assert.Equal(ShowingStatus.Completed, await app.WithDbAsync(d => d.Showings.Where(s => s.Id == showing.Id).Select(s => s.Status).SingleAsync()));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_cancellation_can_be_undone_only_while_the_slot_is_free(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var property = await world.NewPropertyAsync();
        var start = app.Time.GetUtcNow().AddDays(1);
        var first = await world.NewShowingAsync(await world.NewLeadAsync(world.AgentA), property, world.AgentA, start);
        var second = await world.NewShowingAsync(await world.NewLeadAsync(world.AgentA), property, world.AgentA, start.AddHours(3));
        var manager = await app.ClientForAsync(world.Manager);

        // A confirmed showing comes back confirmed, not merely scheduled.
        Assert.Equal(200, (await manager.SendJsonAsync(HttpMethod.Post, $"/showings/{first.Id}/status", new { status = "confirmed" })).Status);
        Assert.Equal(200, (await manager.SendJsonAsync(HttpMethod.Post, $"/showings/{first.Id}/cancel")).Status);
        Assert.Equal(ShowingStatus.Confirmed, await app.WithDbAsync(d => d.Showings.Where(s => s.Id == first.Id).Select(s => s.StatusBeforeCancel).SingleAsync()));
        var restored = await manager.SendJsonAsync(HttpMethod.Post, $"/showings/{first.Id}/restore");
        Assert.Equal((200, "confirmed"), (restored.Status, restored.Body.GetProperty("status").GetString()));
        Assert.Null(await app.WithDbAsync(d => d.Showings.Where(s => s.Id == first.Id).Select(s => s.StatusBeforeCancel).SingleAsync()));
        Assert.Equal(409, (await manager.SendJsonAsync(HttpMethod.Post, $"/showings/{first.Id}/restore")).Status);

        // Canceled, then its slot taken by moving the other showing there: the undo is refused.
        Assert.Equal(200, (await manager.SendJsonAsync(HttpMethod.Post, $"/showings/{first.Id}/cancel")).Status);
        var moved = await manager.SendJsonAsync(HttpMethod.Post, $"/showings/{second.Id}/reschedule", new { starts_at = start.AddMinutes(30) });
        Assert.Equal((200, "rescheduled"), (moved.Status, moved.Body.GetProperty("status").GetString()));
        var late = await manager.SendJsonAsync(HttpMethod.Post, $"/showings/{first.Id}/restore");
        Assert.Equal(409, late.Status);
        Assert.Equal(ShowingStatus.Canceled, await app.WithDbAsync(d => d.Showings.Where(s => s.Id == first.Id).Select(s => s.Status).SingleAsync()));
        Assert.Equal(start.AddMinutes(30), await app.WithDbAsync(d => d.Showings.Where(s => s.Id == second.Id).Select(s => s.StartsAt).SingleAsync()));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task The_invite_keeps_its_uid_bumps_its_sequence_on_reschedule_and_cancels(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var property = await world.NewPropertyAsync();
        var start = new DateTimeOffset(2026, 11, 27, 16, 0, 0, TimeSpan.Zero);
        var showing = await world.NewShowingAsync(await world.NewLeadAsync(world.AgentA, name: "Ana Lopez"), property, world.AgentA, start);
        var agent = await app.ClientForAsync(world.AgentA);
        var path = $"/showings/{showing.Id}";

        var booked = await InviteAsync(agent, path);
        Assert.Contains("METHOD:REQUEST", booked);
        Assert.Contains($"UID:showing-{showing.Id}@estate-voice", booked);
        Assert.Contains("SEQUENCE:0", booked);
        Assert.Contains("DTSTART:20261127T160000Z", booked);
        Assert.Contains("Ana Lopez", booked);

        Assert.Equal(200, (await agent.SendJsonAsync(HttpMethod.Post, $"{path}/reschedule", new { starts_at = start.AddHours(2) })).Status);
        var moved = await InviteAsync(agent, path);
        Assert.Contains($"UID:showing-{showing.Id}@estate-voice", moved);
        Assert.Contains("SEQUENCE:1", moved);
        Assert.Contains("DTSTART:20261127T180000Z", moved);

        Assert.Equal(200, (await agent.SendJsonAsync(HttpMethod.Post, $"{path}/cancel")).Status);
        var canceled = await InviteAsync(agent, path);
        Assert.Contains("METHOD:CANCEL", canceled);
        Assert.Contains("STATUS:CANCELLED", canceled);
        Assert.Contains("SEQUENCE:2", canceled);

        var other = await app.ClientForAsync(world.AgentB);
        Assert.Equal(404, (int)(await other.GetAsync($"{path}/invite.ics")).StatusCode);
    }

    private static async Task<string> InviteAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync($"{path}/invite.ics");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"showing-{path.Split('/')[^1]}.ics", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        return Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
    }
}
