using System.Text.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;

namespace EstateVoice.Server.Tests.Features.Reports;

/// <summary>
/// One page, one set of figures: the tiles, the funnel and the per-agent rows agree (the walkthrough saw a tile of 17
/// qualified beside a funnel of 16, and agents' rows that did not add up to the totals).
/// </summary>
public sealed class ReportReconciliationTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Tiles_funnel_and_agent_rows_add_up(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var gone = await app.CreateUserAsync(UserRole.Agent, active: false);
        var day = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        var property = await world.NewPropertyAsync();

        var qualifiedA = await world.NewLeadAsync(world.AgentA, LeadStatus.Qualified, createdAt: day, qualifiedAt: day.AddHours(3));
        var unassigned = await world.NewLeadAsync(null, LeadStatus.Qualified, createdAt: day, qualifiedAt: day.AddHours(1));
        var byGone = await world.NewLeadAsync(gone, createdAt: day.AddHours(2));
        // Created before the range, qualified inside it: in neither the tile nor the funnel, so both say the same.
        await world.NewLeadAsync(world.AgentB, LeadStatus.Qualified, createdAt: day.AddDays(-40), qualifiedAt: day.AddHours(4));
        await world.NewCallAsync(qualifiedA, world.AgentA, day);
        await world.NewCallAsync(unassigned, null, day.AddHours(1));           // the voice agent's call nobody took over
        await world.NewCallAsync(byGone, gone, day.AddHours(2));
        await world.NewShowingAsync(qualifiedA, property, world.AgentA, day.AddDays(3), createdAt: day.AddHours(5));
        await world.NewShowingAsync(qualifiedA, property, world.AgentA, day.AddDays(4), createdAt: day.AddHours(6));
        await world.NewShowingAsync(unassigned, property, null, day.AddDays(5), createdAt: day.AddHours(7));

        var manager = await app.ClientForAsync(world.Manager);
        var report = await manager.GetJsonAsync("/reports/summary?from=2026-11-20&to=2026-11-20");

        var funnel = report.GetProperty("funnel");
        Assert.Equal(funnel.GetProperty("leads").GetInt32(), report.GetProperty("leads_created").GetInt32());
        Assert.Equal(funnel.GetProperty("qualified").GetInt32(), report.GetProperty("leads_qualified").GetInt32());
        Assert.Equal((3, 2, 2), (funnel.GetProperty("leads").GetInt32(), funnel.GetProperty("qualified").GetInt32(), funnel.GetProperty("showing").GetInt32()));
        var rows = report.GetProperty("per_agent").EnumerateArray().ToList();
        Assert.Equal(report.GetProperty("total_calls").GetInt32(), Sum(rows, "calls"));
        Assert.Equal(report.GetProperty("leads_created").GetInt32(), Sum(rows, "leads_assigned"));
        Assert.Equal(report.GetProperty("leads_qualified").GetInt32(), Sum(rows, "leads_qualified"));
        Assert.Equal(report.GetProperty("showings_booked").GetInt32(), Sum(rows, "showings_booked"));
        Assert.Equal(3, report.GetProperty("showings_booked").GetInt32());
        var unassignedRow = Assert.Single(rows, r => r.GetProperty("agent_id").ValueKind == JsonValueKind.Null);
        Assert.Equal(("Unassigned", 1, 1, 1, 1), (unassignedRow.GetProperty("agent_name").GetString(), unassignedRow.GetProperty("calls").GetInt32(),
            unassignedRow.GetProperty("leads_assigned").GetInt32(), unassignedRow.GetProperty("leads_qualified").GetInt32(), unassignedRow.GetProperty("showings_booked").GetInt32()));
        Assert.Contains(rows, r => r.GetProperty("agent_id").ValueKind == JsonValueKind.Number && r.GetProperty("agent_id").GetInt32() == gone.Id);
    }

    private static int Sum(List<JsonElement> rows, string field) => rows.Sum(r => r.GetProperty(field).GetInt32());
}
