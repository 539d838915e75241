using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;

namespace EstateVoice.Server.Tests.Features.Reports;

public class ReportsApiTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Summary_figures_come_from_the_rows_in_the_range(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var day1 = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        var day2 = day1.AddDays(1);
        var leadA = await world.NewLeadAsync(world.AgentA, LeadStatus.Qualified, createdAt: day1, qualifiedAt: day2);
        var leadA2 = await world.NewLeadAsync(world.AgentA, createdAt: day2);
        var leadB = await world.NewLeadAsync(world.AgentB, createdAt: day1);
        await world.NewLeadAsync(world.AgentB, createdAt: day1.AddDays(-30));                 // before the range
        await world.NewCallAsync(leadA, world.AgentA, day1, duration: 100, outcome: CallOutcome.Qualified);
        await world.NewCallAsync(leadA2, world.AgentA, day1.AddHours(2), CallDirection.Outbound, duration: 200, outcome: CallOutcome.ShowingBooked);
        await world.NewCallAsync(leadB, world.AgentB, day2, duration: 60, outcome: CallOutcome.Qualified);
        await world.NewCallAsync(leadB, world.AgentB, day2.AddHours(1), CallDirection.Outbound, CallStatus.NoAnswer, CallOutcome.NoAnswer, null, answered: false);
        await world.NewCallAsync(leadB, world.AgentB, day1.AddDays(-20), duration: 999);       // before the range
        await world.NewShowingAsync(leadA2, await world.NewPropertyAsync(), world.AgentA, day2.AddDays(5), createdAt: day1.AddHours(2));

        var manager = await app.ClientForAsync(world.Manager);
        var report = await manager.GetJsonAsync("/reports/summary?from=2026-11-20&to=2026-11-21");

        Assert.Equal(4, report.GetProperty("total_calls").GetInt32());
        Assert.Equal(3, report.GetProperty("answered_calls").GetInt32());
        Assert.Equal(120.0, report.GetProperty("average_duration_seconds").GetDouble());
        var days = report.GetProperty("calls_per_day").EnumerateArray()
            .Select(d => (d.GetProperty("date").GetString(), d.GetProperty("total").GetInt32(), d.GetProperty("inbound").GetInt32(), d.GetProperty("outbound").GetInt32()))
            .ToList();
        Assert.Equal([("2026-11-20", 2, 1, 1), ("2026-11-21", 2, 1, 1)], days);
        var outcomes = report.GetProperty("outcomes").EnumerateArray().ToDictionary(o => o.GetProperty("outcome").GetString()!, o => o.GetProperty("count").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["qualified"] = 2, ["showing_booked"] = 1, ["no_answer"] = 1 }, outcomes);
        Assert.Equal(3, report.GetProperty("leads_created").GetInt32());
        Assert.Equal(1, report.GetProperty("leads_qualified").GetInt32());
        Assert.Equal(1, report.GetProperty("showings_booked").GetInt32());
        var funnel = report.GetProperty("funnel");
        Assert.Equal((3, 1, 1), (funnel.GetProperty("leads").GetInt32(), funnel.GetProperty("qualified").GetInt32(), funnel.GetProperty("showing").GetInt32()));
        var rows = report.GetProperty("per_agent").EnumerateArray().ToDictionary(r => r.GetProperty("agent_id").GetInt32());
        Assert.Equal(2, rows.Count);
        var a = rows[world.AgentA.Id];
        Assert.Equal((2, 150.0, 2, 1, 1), (a.GetProperty("calls").GetInt32(), a.GetProperty("average_duration_seconds").GetDouble(),
            a.GetProperty("leads_assigned").GetInt32(), a.GetProperty("leads_qualified").GetInt32(), a.GetProperty("showings_booked").GetInt32()));
        var b = rows[world.AgentB.Id];
        Assert.Equal((2, 60.0, 1, 0, 0), (b.GetProperty("calls").GetInt32(), b.GetProperty("average_duration_seconds").GetDouble(),
            b.GetProperty("leads_assigned").GetInt32(), b.GetProperty("leads_qualified").GetInt32(), b.GetProperty("showings_booked").GetInt32()));

        // An Agent's report covers only their own data and has only their own row.
        var agent = await app.ClientForAsync(world.AgentA);
        var own = await agent.GetJsonAsync("/reports/summary?from=2026-11-20T00:00:00Z&to=2026-11-22T00:00:00Z");
        Assert.Equal(2, own.GetProperty("total_calls").GetInt32());
        Assert.Equal(2, own.GetProperty("leads_created").GetInt32());
        Assert.Equal([world.AgentA.Id], own.GetProperty("per_agent").EnumerateArray().Select(r => r.GetProperty("agent_id").GetInt32()));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_wrong_number_call_is_its_own_outcome_and_neither_a_lead_nor_a_failure(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var day = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        await world.NewCallAsync(null, world.AgentA, day, duration: 12, outcome: CallOutcome.WrongNumber);
        await world.NewCallAsync(await world.NewLeadAsync(world.AgentA, createdAt: day), world.AgentA, day.AddHours(1), duration: 60, outcome: CallOutcome.Qualified);

        var manager = await app.ClientForAsync(world.Manager);
        var report = await manager.GetJsonAsync("/reports/summary?from=2026-11-20&to=2026-11-20");

        Assert.Equal((2, 2), (report.GetProperty("total_calls").GetInt32(), report.GetProperty("answered_calls").GetInt32()));
        var outcomes = report.GetProperty("outcomes").EnumerateArray().ToDictionary(o => o.GetProperty("outcome").GetString()!, o => o.GetProperty("count").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["qualified"] = 1, ["wrong_number"] = 1 }, outcomes);
        Assert.Equal(1, report.GetProperty("leads_created").GetInt32());
        var calls = await manager.GetJsonAsync("/calls?outcome=wrong_number");
        var listed = Assert.Single(calls.GetProperty("items").EnumerateArray());
        Assert.Equal(("completed", "wrong_number"), (listed.GetProperty("status").GetString(), listed.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task The_default_range_is_the_last_thirty_days()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite);
        var client = await app.ClientForRoleAsync(EstateVoice.Server.Features.Auth.UserRole.Manager);
        var report = await client.GetJsonAsync("/reports/summary");
        Assert.Equal(app.Time.GetUtcNow(), report.GetProperty("to").GetDateTimeOffset());
        Assert.Equal(app.Time.GetUtcNow().AddDays(-30), report.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(31, report.GetProperty("calls_per_day").GetArrayLength());
        Assert.Equal(0, report.GetProperty("total_calls").GetInt32());
    }
}
