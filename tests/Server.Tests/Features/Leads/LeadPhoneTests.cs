using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Leads;

public class LeadPhoneTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Lead_phones_are_stored_in_E164_and_unreadable_numbers_are_field_errors(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var manager = await app.ClientForAsync(world.Manager);

        var created = await manager.PostAsJsonAsync("/leads", new { name = "Ana Ruiz", phone = "(512) 555-0142", consent_to_call = true });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetInt32();
        Assert.Equal("+15125550142", body.GetProperty("phone").GetString());
        Assert.Equal(app.Time.GetUtcNow(), body.GetProperty("consent_at").GetDateTimeOffset());

        var (status, patched) = await manager.SendJsonAsync(HttpMethod.Patch, $"/leads/{id}", new { phone = "+44 20 7946 0958" });
        Assert.Equal(200, status);
        Assert.Equal("+442079460958", patched.GetProperty("phone").GetString());

        var bad = await manager.PostAsJsonAsync("/leads", new { name = "Ana Ruiz", phone = "call me maybe" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("phone", out _));
        Assert.Equal(1, await app.WithDbAsync(d => d.Leads.CountAsync(l => l.Name == "Ana Ruiz")));
    }
}
