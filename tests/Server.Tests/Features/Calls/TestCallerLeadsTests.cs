using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;

namespace EstateVoice.Server.Tests.Features.Calls;

/// <summary>
/// "Test caller" leads (made by browser test calls before those stopped saving anything) are the team trying the
/// agent: like test calls they stay in the database but are left out of the leads list and the reports.
/// </summary>
public sealed class TestCallerLeadsTests
{
    // The month around the test clock (2026-11-25), so both leads fall in the report's range.
    private const string Report = "/reports/summary?from=2026-11-01&to=2026-11-30";

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Test_leads_are_left_out_of_the_leads_list_and_the_reports(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var real = await world.NewLeadAsync(world.AgentA, name: "Real buyer");
        var test = await world.NewLeadAsync(world.AgentA, name: "Test caller");
        var agent = await app.ClientForAsync(world.AgentA);
        var before = (await agent.GetJsonAsync(Report)).GetProperty("leads_created").GetInt32();
        Assert.True(before >= 2, $"both leads are counted before the flag ({before})");
        await app.WithDbAsync(async d =>
        {
            (await d.Leads.FindAsync(test.Id))!.IsTest = true;
            await d.SaveChangesAsync();
        });

        var listed = (await agent.GetJsonAsync("/leads/?page_size=100")).Ids();
        Assert.Contains(real.Id, listed);
        Assert.DoesNotContain(test.Id, listed);
        Assert.Equal(before - 1, (await agent.GetJsonAsync(Report)).GetProperty("leads_created").GetInt32());
        Assert.Equal(System.Net.HttpStatusCode.OK, (await agent.GetAsync($"/leads/{test.Id}")).StatusCode);
    }
}
