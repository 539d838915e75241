using EstateVoice.Server.Features.Showings;
using EstateVoice.Server.Features.Voice.Tools;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EstateVoice.Server.Tests.Features.Showings;

/// <summary>
/// Showings respect agents (issue 15): one agent is never at two properties at once, bookings fall inside the
/// agent's working hours (agency time zone, America/Chicago here), and the agent's calendar lists them.
/// The fake clock starts Wednesday 2026-11-25 09:00 in Chicago.
/// </summary>
public class AgentCalendarTests
{
    /// <summary>Thursday 2026-11-26 at <paramref name="hour"/> in Chicago (UTC-6).</summary>
    private static DateTimeOffset Thursday(int hour, int minute = 0) => new DateTimeOffset(2026, 11, 26, hour, minute, 0, TimeSpan.FromHours(-6)).ToUniversalTime();

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task One_agent_cannot_be_booked_at_two_properties_at_the_same_time(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var (house, flat) = (await world.NewPropertyAsync(), await world.NewPropertyAsync());
        var manager = await app.ClientForAsync(world.Manager);

        var first = await manager.SendJsonAsync(HttpMethod.Post, "/showings/", new { lead_id = (await world.NewLeadAsync(world.AgentA)).Id, property_id = house.Id, starts_at = Thursday(10) });
        var sameAgent = await manager.SendJsonAsync(HttpMethod.Post, "/showings/", new { lead_id = (await world.NewLeadAsync(world.AgentA)).Id, property_id = flat.Id, starts_at = Thursday(10, 30) });
        var otherAgent = await manager.SendJsonAsync(HttpMethod.Post, "/showings/", new { lead_id = (await world.NewLeadAsync(world.AgentB)).Id, property_id = flat.Id, starts_at = Thursday(10, 30) });
        var sameAgentLater = await manager.SendJsonAsync(HttpMethod.Post, "/showings/", new { lead_id = (await world.NewLeadAsync(world.AgentA)).Id, property_id = flat.Id, starts_at = Thursday(11, 30) });

        Assert.Equal(201, first.Status);
        Assert.Equal(409, sameAgent.Status);
        Assert.Equal($"{world.AgentA.Name} already has a showing at that time.", sameAgent.Body.GetProperty("detail").GetString());
        Assert.Equal(201, otherAgent.Status);
        Assert.Equal(201, sameAgentLater.Status);
        Assert.Equal(2, await app.WithDbAsync(d => d.Showings.CountAsync(s => s.AgentId == world.AgentA.Id)));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Working_hours_bound_bookings_and_an_agent_sets_only_their_own(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var property = await world.NewPropertyAsync();
        var agent = await app.ClientForAsync(world.AgentA);
        var manager = await app.ClientForAsync(world.Manager);
        var week = new { days = new[] { new { day = "thursday", starts = "09:00", ends = "13:00" }, new { day = "monday", starts = "09:00", ends = "17:00" } } };

        var set = await agent.SendJsonAsync(HttpMethod.Put, $"/agents/{world.AgentA.Id}/working-hours", week);
        Assert.Equal(200, set.Status);
        Assert.Equal(["monday", "thursday"], set.Body.GetProperty("days").EnumerateArray().Select(d => d.GetProperty("day").GetString()));
        Assert.Equal("America/Chicago", set.Body.GetProperty("time_zone").GetString());
        Assert.Equal(403, (await agent.SendJsonAsync(HttpMethod.Put, $"/agents/{world.AgentB.Id}/working-hours", week)).Status);
        var bad = await manager.SendJsonAsync(HttpMethod.Put, $"/agents/{world.AgentB.Id}/working-hours",
            new { days = new[] { new { day = "someday", starts = "9am", ends = "08:00" } } });
        Assert.Equal(400, bad.Status);
        Assert.True(bad.Body.GetProperty("errors").TryGetProperty("days[0].day", out _));
        Assert.True(bad.Body.GetProperty("errors").TryGetProperty("days[0].starts", out _));

        var lead = await world.NewLeadAsync(world.AgentA);
        var afterHours = await agent.SendJsonAsync(HttpMethod.Post, "/showings/", new { lead_id = lead.Id, property_id = property.Id, starts_at = Thursday(12, 30) });
        var dayOff = await agent.SendJsonAsync(HttpMethod.Post, "/showings/", new { lead_id = lead.Id, property_id = property.Id, starts_at = Thursday(10).AddDays(1) });
        var inHours = await agent.SendJsonAsync(HttpMethod.Post, "/showings/", new { lead_id = lead.Id, property_id = property.Id, starts_at = Thursday(12) });
        Assert.Equal((409, 409, 201), (afterHours.Status, dayOff.Status, inHours.Status));
        Assert.Equal($"{world.AgentA.Name} does not work at that time.", afterHours.Body.GetProperty("detail").GetString());

        var calendar = await manager.GetJsonAsync($"/agents/{world.AgentA.Id}/calendar?from=2026-11-26&to=2026-11-27");
        Assert.Equal([inHours.Body.GetProperty("id").GetInt32()], calendar.GetProperty("showings").EnumerateArray().Select(s => s.GetProperty("id").GetInt32()));
        Assert.Equal(2, calendar.GetProperty("working_hours").GetArrayLength());
        Assert.Equal(403, (await agent.SendJsonAsync(HttpMethod.Get, $"/agents/{world.AgentB.Id}/calendar?from=2026-11-26&to=2026-11-27")).Status);
        Assert.Equal(400, (await agent.SendJsonAsync(HttpMethod.Get, $"/agents/{world.AgentA.Id}/calendar?from=2026-11-26")).Status);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task The_voice_agent_offers_the_agents_free_times_when_the_asked_time_is_taken(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var (house, flat) = (await world.NewPropertyAsync(), await world.NewPropertyAsync());
        await app.WithDbAsync(async d =>
        {
            d.WorkingHours.Add(new() { UserId = world.AgentA.Id, Day = DayOfWeek.Thursday, Starts = new(13, 0), Ends = new(17, 0) });
            await d.SaveChangesAsync();
        });
        await world.NewShowingAsync(await world.NewLeadAsync(world.AgentA), house, world.AgentA, Thursday(15));
        var caller = await world.NewLeadAsync(world.AgentA);

        var result = await BookByVoiceAsync(app, new ShowingRequest(caller.Id, flat.Id, Thursday(15), null, null));

        Assert.False(result.Booked);
        Assert.Equal([Thursday(13), Thursday(14), Thursday(16)], result.FreeSlots!);
        Assert.Equal($"{world.AgentA.Name.Split(' ')[0]} is free at 1 pm, 2 pm or 4 pm.", result.Offer);
        Assert.True((await BookByVoiceAsync(app, new ShowingRequest(caller.Id, flat.Id, Thursday(14), null, null))).Booked);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Free_slots_are_the_times_the_voice_agent_offers_and_bad_queries_are_problems(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var (house, flat) = (await world.NewPropertyAsync(), await world.NewPropertyAsync());
        await app.WithDbAsync(async d =>
        {
            d.WorkingHours.Add(new() { UserId = world.AgentA.Id, Day = DayOfWeek.Thursday, Starts = new(13, 0), Ends = new(17, 0) });
            await d.SaveChangesAsync();
        });
        await world.NewShowingAsync(await world.NewLeadAsync(world.AgentA), house, world.AgentA, Thursday(15));
        var agent = await app.ClientForAsync(world.AgentA);
        string Q(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var path = $"/showings/free-slots?agent_id={world.AgentA.Id}&property_id={flat.Id}";

        // Wednesday (no hours: nothing), Thursday 13-17 minus the 15:00 showing, Friday (no hours).
        var (status, body) = await agent.SendJsonAsync(HttpMethod.Get, $"{path}&from={Q(Thursday(0).AddDays(-1))}&to={Q(Thursday(0).AddDays(2))}");
        Assert.Equal(200, status);
        var starts = body.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("starts_at").GetDateTimeOffset()).ToList();
        var voice = await BookByVoiceAsync(app, new ShowingRequest((await world.NewLeadAsync(world.AgentA)).Id, flat.Id, Thursday(15), null, null));
        Assert.Equal([Thursday(13), Thursday(14), Thursday(16)], starts);
        Assert.Equal(voice.FreeSlots!, starts);
        Assert.Equal(Thursday(14), body.GetProperty("slots")[0].GetProperty("ends_at").GetDateTimeOffset());

        // A 2-hour showing fits only at 13:00 (16:00 would end after 17:00; 14:00 runs into the 15:00 showing).
        var longer = await agent.GetJsonAsync($"{path}&from={Q(Thursday(0))}&to={Q(Thursday(23))}&duration_minutes=120");
        Assert.Equal([Thursday(13)], longer.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("starts_at").GetDateTimeOffset()));

        var backwards = await agent.SendJsonAsync(HttpMethod.Get, $"{path}&from={Q(Thursday(12))}&to={Q(Thursday(10))}");
        Assert.Equal(400, backwards.Status);
        Assert.True(backwards.Body.GetProperty("errors").TryGetProperty("to", out _));
        Assert.Equal(400, (await agent.SendJsonAsync(HttpMethod.Get, $"{path}&from={Q(Thursday(0))}&to={Q(Thursday(0).AddDays(20))}")).Status);
        Assert.Equal(400, (await agent.SendJsonAsync(HttpMethod.Get, $"/showings/free-slots?property_id={flat.Id}&from={Q(Thursday(0))}&to={Q(Thursday(23))}")).Status);
        Assert.Equal(400, (await agent.SendJsonAsync(HttpMethod.Get, $"{path}&from={Q(Thursday(0))}&to={Q(Thursday(23))}&duration_minutes=5")).Status);
        Assert.Equal(404, (await agent.SendJsonAsync(HttpMethod.Get, $"/showings/free-slots?agent_id=999999&property_id={flat.Id}&from={Q(Thursday(0))}&to={Q(Thursday(23))}")).Status);
        Assert.Equal(404, (await agent.SendJsonAsync(HttpMethod.Get, $"/showings/free-slots?agent_id={world.AgentA.Id}&property_id=999999&from={Q(Thursday(0))}&to={Q(Thursday(23))}")).Status);
    }

    private static async Task<ShowingResult> BookByVoiceAsync(AppFactory app, ShowingRequest request)
    {
        var store = app.Services.GetRequiredService<IAgentDataStore>();
        return await store.BookShowingAsync(request, CancellationToken.None);
    }
}
