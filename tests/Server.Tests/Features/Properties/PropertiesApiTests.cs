using System.Net;
using System.Net.Http.Json;
using EstateVoice.Server.Features.Properties;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Properties;

public class PropertiesApiTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Filters_combine_city_price_range_bedrooms_status_and_text(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var match = await world.NewPropertyAsync("Austin", 450_000m, 3);
        var bigger = await world.NewPropertyAsync("Austin", 499_999.99m, 5);
        await world.NewPropertyAsync("Austin", 600_000m, 3);            // too dear
        await world.NewPropertyAsync("Austin", 450_000m, 2);            // too small
        await world.NewPropertyAsync("Dallas", 450_000m, 3);            // elsewhere
        await world.NewPropertyAsync("Austin", 450_000m, 3, PropertyStatus.Sold);
        var client = await app.ClientForAsync(world.AgentA);

        var page = await client.GetJsonAsync("/properties?city=austin&min_price=400000&max_price=499999.99&bedrooms=3&status=active&sort=price");

        Assert.Equal([match.Id, bigger.Id], page.Ids());
        Assert.Equal(2, page.Total());
        Assert.Equal(499_999.99m, page.GetProperty("items")[1].GetProperty("price").GetDecimal());
        var text = await client.GetJsonAsync("/properties/?q=OAK STREET&city=Dallas");
        Assert.Equal(1, text.Total());
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Lists_are_newest_first_paged_and_sortable(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var start = app.Time.GetUtcNow();
        var ids = new List<int>();
        for (var i = 0; i < 7; i++)
            ids.Add((await world.NewPropertyAsync(price: 100_000m * (7 - i), createdAt: start.AddMinutes(i))).Id);
        var client = await app.ClientForAsync(world.Manager);

        var first = await client.GetJsonAsync("/properties/?page_size=3");
        var third = await client.GetJsonAsync("/properties/?page_size=3&page=3");
        var beyond = await client.GetJsonAsync("/properties/?page_size=3&page=9");
        var cheapest = await client.GetJsonAsync("/properties/?sort=price&page_size=2");
        var dearest = await client.GetJsonAsync("/properties/?sort=-price&page_size=2");

        Assert.Equal([ids[6], ids[5], ids[4]], first.Ids());
        Assert.Equal(7, first.Total());
        Assert.Equal(3, first.GetProperty("page_size").GetInt32());
        Assert.Equal([ids[0]], third.Ids());
        Assert.Empty(beyond.Ids());
        Assert.Equal(7, beyond.Total());
        Assert.Equal([ids[6], ids[5]], cheapest.Ids());
        Assert.Equal([ids[0], ids[1]], dearest.Ids());
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Managers_create_update_patch_and_delete_listings(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var client = await app.ClientForAsync(world.Manager);

        var created = await client.PostAsJsonAsync("/properties", new
        {
            address = " 12 Lake View Dr ", city = "  round   rock ", state = "TX", zip = "78664", price = 389_500.50, bedrooms = 4,
            bathrooms = 2.5, square_feet = 2100, property_type = "townhouse", features = new[] { "patio", "garage" },
            listing_agent_id = world.AgentA.Id, description = "Lake views",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var id = body.GetProperty("id").GetInt32();
        Assert.Equal($"/properties/{id}", created.Headers.Location?.ToString());
        Assert.Equal("Round Rock", body.GetProperty("city").GetString());
        Assert.Equal(world.AgentA.Name, body.GetProperty("listing_agent_name").GetString());

        var (patchStatus, patched) = await client.SendJsonAsync(HttpMethod.Patch, $"/properties/{id}", new { status = "pending", price = 379_000 });
        Assert.Equal(200, patchStatus);
        Assert.Equal("pending", patched.GetProperty("status").GetString());
        Assert.Equal(4, patched.GetProperty("bedrooms").GetInt32());

        var stored = await app.WithDbAsync(d => d.Properties.AsNoTracking().SingleAsync(p => p.Id == id));
        Assert.Equal(379_000m, stored.Price);
        Assert.Equal(PropertyStatus.Pending, stored.Status);
        Assert.Equal(["patio", "garage"], stored.Features);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/properties/{id}")).StatusCode);
        Assert.False(await app.WithDbAsync(d => d.Properties.AnyAsync(p => p.Id == id)));
    }

    [Fact]
    public async Task Agents_read_but_cannot_write_and_nothing_changes()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite);
        var world = await CrmWorld.CreateAsync(app);
        var property = await world.NewPropertyAsync();
        var client = await app.ClientForAsync(world.AgentA);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/properties/{property.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PatchAsJsonAsync($"/properties/{property.Id}", new { price = 1 })).StatusCode);
        Assert.Equal(property.Price, await app.WithDbAsync(d => d.Properties.Where(p => p.Id == property.Id).Select(p => p.Price).SingleAsync()));
    }
}
