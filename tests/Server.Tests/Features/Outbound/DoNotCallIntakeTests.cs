using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Outbound;
using EstateVoice.Server.Features.Outbound.Campaigns;
using EstateVoice.Server.Features.Outbound.Compliance;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Features.Leads;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Outbound;

/// <summary>
/// Leads that arrive marked do-not-call — a CSV import row, a website's form — go through the one do-not-call list: the
/// number is listed and an attempt already queued for it in a campaign is cancelled at once.
/// </summary>
public class DoNotCallIntakeTests
{
    private const string Phone = "+15125550142";

    /// <summary>A lead with <see cref="Phone"/> queued in a paused campaign (paused: the scheduler leaves it alone).</summary>
    private static async Task<long> QueuedAttemptAsync(AppFactory app, CrmWorld world)
    {
        var lead = await world.NewLeadAsync(null, name: "Queued Person");
        var now = app.Time.GetUtcNow();
        return await app.WithDbAsync(async d =>
        {
            await d.Leads.Where(l => l.Id == lead.Id).ExecuteUpdateAsync(u => u.SetProperty(l => l.Phone, Phone));
            var campaign = new Campaign { Name = "Spring buyers", Goal = "your home search", State = CampaignState.Paused, CreatedAt = now, UpdatedAt = now };
            var row = new CampaignLead
            {
                Campaign = campaign, LeadId = lead.Id, State = CampaignLeadState.Queued, NextAttemptAt = now, QueuedAt = now, CreatedAt = now, UpdatedAt = now,
            };
            d.CampaignLeads.Add(row);
            await d.SaveChangesAsync();
            return row.Id;
        });
    }

    private static async Task AssertListedAndCancelledAsync(AppFactory app, long rowId, string source)
    {
        var entry = await app.WithDbAsync(d => d.Set<DoNotCallEntry>().AsNoTracking().SingleOrDefaultAsync(e => e.Phone == Phone));
        Assert.Equal(source, entry?.Source);
        var row = await app.WithDbAsync(d => d.CampaignLeads.AsNoTracking().SingleAsync(r => r.Id == rowId));
        Assert.Equal((CampaignLeadState.Skipped, DialRefusals.DoNotCall, (DateTimeOffset?)null), (row.State, row.ReasonCode, row.NextAttemptAt));
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task An_imported_row_marked_do_not_call_lists_the_number_and_cancels_its_queued_attempt(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var rowId = await QueuedAttemptAsync(app, world);
        var manager = await app.ClientForAsync(world.Manager);

        var csv = "Name,Phone,DNC\nQueued Person,512-555-0142,yes\n";
        var mapping = new Dictionary<string, string> { ["Name"] = "name", ["Phone"] = "phone", ["DNC"] = "do_not_call" };
        var response = await manager.PostAsync("/leads/import", LeadImportTests.Form(csv, mapping, "merge"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("merged").GetInt32());

        await AssertListedAndCancelledAsync(app, rowId, DoNotCallSources.Import);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_web_form_marked_do_not_call_lists_the_number_and_cancels_its_queued_attempt(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var rowId = await QueuedAttemptAsync(app, world);
        var admin = await app.ClientForRoleAsync(UserRole.Admin);
        var created = await admin.PostAsJsonAsync("/admin/integration-keys/", new { site = "www.example-realty.com" });
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;

        var request = new HttpRequestMessage(HttpMethod.Post, "/leads/intake")
        {
            Content = JsonContent.Create(new { name = "Web Visitor", phone = "512 555 0142", consent_to_call = false, do_not_call = true }),
        };
        request.Headers.Add("X-Integration-Key", key);
        var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var leadId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        Assert.True(await app.WithDbAsync(d => d.Leads.Where(l => l.Id == leadId).Select(l => l.DoNotCall).SingleAsync()));
        await AssertListedAndCancelledAsync(app, rowId, DoNotCallSources.Intake);
    }
}
