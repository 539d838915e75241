using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Leads;

public class LeadIntakeTests
{
    private static HttpRequestMessage Intake(string? key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/leads/intake") { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add("X-Integration-Key", key);
        return request;
    }

    private static readonly object Form = new
    {
        name = "Web Visitor", phone = "512 555 0177", email = "visitor@example.com", message = "Interested in 12 Oak St",
        consent_to_call = true, consent_text = "I agree to be called about my inquiry.", consent_at = "2026-11-30T18:04:05-06:00",
        source_site = "www.example-realty.com/listings/12-oak",
    };

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_sites_key_creates_a_website_lead_with_consent_as_given_until_it_is_revoked(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var admin = await app.ClientForAsync(world.Admin);
        var anonymous = app.CreateClient();

        var created = await admin.PostAsJsonAsync("/admin/integration-keys/", new { site = "www.example-realty.com" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var key = body.GetProperty("key").GetString()!;
        var keyId = body.GetProperty("id").GetInt32();
        var stored = await app.WithDbAsync(d => d.IntegrationKeys.AsNoTracking().SingleAsync(k => k.Id == keyId));
        Assert.NotEqual(key, stored.KeyHash);
        Assert.DoesNotContain(key, (await admin.GetStringAsync("/admin/integration-keys/")));

        var response = await anonymous.SendAsync(Intake(key, Form));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var lead = await app.WithDbAsync(d => d.Leads.AsNoTracking().SingleAsync(l => l.Id == id));
        Assert.Equal(("+15125550177", LeadSource.Website, "Interested in 12 Oak St"), (lead.Phone, lead.Source, lead.Notes));
        Assert.True(lead.ConsentToCall);
        Assert.Equal("I agree to be called about my inquiry.", lead.ConsentText);
        Assert.Equal(DateTimeOffset.Parse("2026-11-30T18:04:05-06:00"), lead.ConsentAt);
        Assert.Equal("www.example-realty.com/listings/12-oak", lead.SourceSite);

        var bad = await anonymous.SendAsync(Intake(key, new { name = "X", phone = "nope" }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("phone", out _));

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(Intake(null, Form))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(Intake(key + "x", Form))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/admin/integration-keys/{keyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(Intake(key, Form))).StatusCode);
        Assert.Equal(1, await app.WithDbAsync(d => d.Leads.CountAsync(l => l.Source == LeadSource.Website && l.Name == "Web Visitor")));
    }

    [Fact]
    public async Task Each_key_has_its_own_rate_limit()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, new Dictionary<string, string?> { ["LEAD_INTAKE_RATE_LIMIT_PER_MINUTE"] = "2" });
        var world = await CrmWorld.CreateAsync(app);
        var admin = await app.ClientForAsync(world.Admin);
        async Task<string> NewKey(string site) =>
            (await (await admin.PostAsJsonAsync("/admin/integration-keys/", new { site })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        var (first, second) = (await NewKey("a.example"), await NewKey("b.example"));
        var anonymous = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++) statuses.Add((await anonymous.SendAsync(Intake(first, Form))).StatusCode);
        statuses.Add((await anonymous.SendAsync(Intake(second, Form))).StatusCode);
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, (HttpStatusCode)429, HttpStatusCode.Created], statuses);
    }
}
