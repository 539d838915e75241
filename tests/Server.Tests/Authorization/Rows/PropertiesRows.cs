using static EstateVoice.Server.Tests.Authorization.MatrixContext;

namespace EstateVoice.Server.Tests.Authorization;

/// <summary>Properties: everyone reads; only Managers and Admins write.</summary>
public static class PropertiesRows
{
    private static object Body => new
    {
        address = "9 Elm Road", city = "Austin", state = "TX", zip = "78702", price = 525_000, bedrooms = 3, bathrooms = 2,
        square_feet = 1650, property_type = "house",
    };

    public static IEnumerable<MatrixRow> All =>
    [
        new("GET", "/properties/", _ => Task.FromResult(Get("/properties/")), Expect.Everyone(200)),
        new("GET", "/properties/{id:int}", async c => Get($"/properties/{await c.PropertyAsync()}"), Expect.Everyone(200)),
        new("POST", "/properties/", _ => Task.FromResult(Post("/properties/", Body)), Expect.ManagerOrAdmin(201)),
        new("PUT", "/properties/{id:int}", async c => Put($"/properties/{await c.PropertyAsync()}", Body), Expect.ManagerOrAdmin(200)),
        new("PATCH", "/properties/{id:int}", async c => Patch($"/properties/{await c.PropertyAsync()}", new { price = 1 }), Expect.ManagerOrAdmin(200)),
        new("DELETE", "/properties/{id:int}", async c => Delete($"/properties/{await c.PropertyAsync()}"), Expect.ManagerOrAdmin(204)),
    ];
}
