using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Tests.Infrastructure;
using static EstateVoice.Server.Tests.Features.Crm.BadInput;

namespace EstateVoice.Server.Tests.Features.Crm;

/// <summary>Bad input on every write endpoint (and the list queries): a 4xx ProblemDetails naming the field, nothing written.</summary>
public class BadInputTests
{
    private const string Missing = "999999";

    private static readonly object ValidProperty = new
    {
        address = "1 Main St", city = "Austin", state = "TX", zip = "78701", price = 500000, bedrooms = 3, bathrooms = 2.5,
        square_feet = 1800, property_type = "house", features = new[] { "pool" },
    };

    private static readonly object ValidLead = new { name = "Pat Buyer", phone = "+15125550100", intent = "buy", budget_min = 300000, budget_max = 400000 };

    /// <summary>The mistakes any JSON body can have, applied to a valid body.</summary>
    private static IEnumerable<BadCase> BodyCases(string method, string path, object valid, string requiredString, string numberField) =>
    [
        new(method, path, "{\"address\": ", 400, "body"),
        new(method, path, "[]", 400, "body"),
        new(method, path, "", 400, null),
        new(method, path, With(valid, requiredString, null), 400, requiredString),
        new(method, path, With(valid, requiredString, Str(Long)), 400, requiredString),
        new(method, path, With(valid, requiredString, "42"), 400, requiredString),
        new(method, path, With(valid, numberField, "\"abc\""), 400, numberField),
        new(method, path, With(valid, numberField, "-5"), 400, numberField),
    ];

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Property_writes_refuse_bad_bodies(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var client = await app.ClientForAsync(world.Manager);
        var id = (await world.NewPropertyAsync()).Id;

        var cases = new List<BadCase>();
        foreach (var (method, path) in new[] { ("POST", "/properties/"), ("PUT", $"/properties/{id}") })
        {
            cases.AddRange(BodyCases(method, path, ValidProperty, "address", "price"));
            cases.AddRange(
            [
                new(method, path, With(ValidProperty, "property_type", "\"castle\""), 400, "property_type"),
                new(method, path, With(ValidProperty, "property_type", null), 400, "property_type"),
                new(method, path, With(ValidProperty, "status", "\"sold_out\""), 400, "status"),
                new(method, path, With(ValidProperty, "bedrooms", "3.5"), 400, "bedrooms"),
                new(method, path, With(ValidProperty, "description", Str(Long)), 400, "description"),
                new(method, path, With(ValidProperty, "features", $"[{Str(Long)}]"), 400, "features"),
                new(method, path, With(ValidProperty, "features", "[\"\"]"), 400, "features"),
                new(method, path, With(ValidProperty, "features", "\"pool\""), 400, "features"),
                new(method, path, With(ValidProperty, "listing_agent_id", Missing), 400, "listing_agent_id"),
            ]);
        }
        cases.AddRange(
        [
            new("PUT", $"/properties/{Missing}", With(ValidProperty, "city", "\"Austin\""), 404, null),
            new("PATCH", $"/properties/{id}", "{\"price\": -1}", 400, "price"),
            new("PATCH", $"/properties/{id}", "{\"price\": \"cheap\"}", 400, "price"),
            new("PATCH", $"/properties/{id}", "{\"status\": \"gone\"}", 400, "status"),
            new("PATCH", $"/properties/{id}", $"{{\"address\": {Str(Long)}}}", 400, "address"),
            new("PATCH", $"/properties/{id}", "{\"address\": \"\"}", 400, "address"),
            new("PATCH", $"/properties/{id}", "{\"bedrooms\": 1000000}", 400, "bedrooms"),
            new("PATCH", $"/properties/{Missing}", "{\"price\": 1}", 404, null),
            new("DELETE", $"/properties/{Missing}", null, 404, null),
        ]);
        await AssertAllRejectedAsync(app, client, cases);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Lead_writes_refuse_bad_bodies(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var client = await app.ClientForAsync(world.Manager);
        var id = (await world.NewLeadAsync(world.AgentA)).Id;

        var cases = new List<BadCase>();
        foreach (var (method, path) in new[] { ("POST", "/leads/"), ("PUT", $"/leads/{id}") })
        {
            cases.AddRange(BodyCases(method, path, ValidLead, "name", "budget_min"));
            cases.AddRange(
            [
                new(method, path, With(ValidLead, "phone", "\"555-1234\""), 400, "phone"),
                new(method, path, With(ValidLead, "phone", null), 400, "phone"),
                new(method, path, With(ValidLead, "email", "\"not-an-email\""), 400, "email"),
                new(method, path, With(ValidLead, "status", "\"closed\""), 400, "status"),
                new(method, path, With(ValidLead, "intent", "\"lease\""), 400, "intent"),
                new(method, path, With(ValidLead, "source", "7"), 400, "source"),
                new(method, path, With(ValidLead, "budget_max", "100"), 400, "budget_max"),
                new(method, path, With(ValidLead, "notes", Str(Long)), 400, "notes"),
                new(method, path, With(ValidLead, "preferred_areas", "\"Austin\""), 400, "preferred_areas"),
                new(method, path, With(ValidLead, "bedrooms", "\"three\""), 400, "bedrooms"),
                new(method, path, With(ValidLead, "consent_to_call", "\"yes\""), 400, "consent_to_call"),
                new(method, path, With(ValidLead, "time_zone", "\"Mars/Olympus\""), 400, "time_zone"),
                new(method, path, With(ValidLead, "assigned_agent_id", Missing), 400, "assigned_agent_id"),
            ]);
        }
        cases.AddRange(
        [
            new("PUT", $"/leads/{Missing}", With(ValidLead, "name", "\"X\""), 404, null),
            new("PATCH", $"/leads/{id}", "{\"phone\": \"12\"}", 400, "phone"),
            new("PATCH", $"/leads/{id}", "{\"budget_min\": -1}", 400, "budget_min"),
            new("PATCH", $"/leads/{id}", "{\"budget_min\": 900000, \"budget_max\": 100}", 400, "budget_max"),
            new("PATCH", $"/leads/{id}", "{\"status\": \"maybe\"}", 400, "status"),
            new("PATCH", $"/leads/{id}", $"{{\"name\": {Str(Long)}}}", 400, "name"),
            new("PATCH", $"/leads/{Missing}", "{\"notes\": \"x\"}", 404, null),
            new("DELETE", $"/leads/{Missing}", null, 404, null),
            new("POST", $"/leads/{id}/assign", "{}", 400, "agent_id"),
            new("POST", $"/leads/{id}/assign", "{\"agent_id\": \"bob\"}", 400, "agent_id"),
            new("POST", $"/leads/{id}/assign", $"{{\"agent_id\": {Missing}}}", 400, "agent_id"),
            new("POST", $"/leads/{id}/assign", "{\"agent_id\": ", 400, "body"),
            new("POST", $"/leads/{Missing}/assign", $"{{\"agent_id\": {world.AgentB.Id}}}", 404, null),
        ]);
        await AssertAllRejectedAsync(app, client, cases);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Showing_writes_refuse_bad_bodies(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var client = await app.ClientForAsync(world.Manager);
        var lead = await world.NewLeadAsync(world.AgentA);
        var property = await world.NewPropertyAsync();
        var sold = await world.NewPropertyAsync(status: Server.Features.Properties.PropertyStatus.Sold);
        var future = app.Time.GetUtcNow().AddDays(2);
        var valid = new { lead_id = lead.Id, property_id = property.Id, starts_at = future };

        await AssertAllRejectedAsync(app, client,
        [
            new("POST", "/showings/", "{\"lead_id\": ", 400, "body"),
            new("POST", "/showings/", With(valid, "lead_id", null), 400, "lead_id"),
            new("POST", "/showings/", With(valid, "lead_id", Missing), 400, "lead_id"),
            new("POST", "/showings/", With(valid, "lead_id", "\"one\""), 400, "lead_id"),
            new("POST", "/showings/", With(valid, "property_id", Missing), 400, "property_id"),
            new("POST", "/showings/", With(valid, "property_id", sold.Id.ToString()), 400, "property_id"),
            new("POST", "/showings/", With(valid, "starts_at", null), 400, "starts_at"),
            new("POST", "/showings/", With(valid, "starts_at", "\"tomorrow\""), 400, "starts_at"),
            new("POST", "/showings/", With(valid, "starts_at", Str(app.Time.GetUtcNow().AddHours(-1).ToString("O"))), 400, "starts_at"),
            new("POST", "/showings/", With(valid, "starts_at", Str(app.Time.GetUtcNow().AddYears(3).ToString("O"))), 400, "starts_at"),
            new("POST", "/showings/", With(valid, "duration_minutes", "100000"), 400, "duration_minutes"),
            new("POST", "/showings/", With(valid, "notes", Str(Long)), 400, "notes"),
            new("POST", $"/showings/{Missing}/cancel", null, 404, null),
        ]);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task User_admin_writes_refuse_bad_bodies(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var client = await app.ClientForAsync(world.Admin);
        var id = world.AgentB.Id;
        var valid = new { email = "new@example.com", name = "New Person", role = "agent", password = "long-enough-1" };

        await AssertAllRejectedAsync(app, client,
        [
            new("POST", "/admin/users/", "{\"email\": ", 400, "body"),
            new("POST", "/admin/users/", With(valid, "email", null), 400, "email"),
            new("POST", "/admin/users/", With(valid, "email", "\"nope\""), 400, "email"),
            new("POST", "/admin/users/", With(valid, "email", Str(world.AgentA.Email)), 409, null),
            new("POST", "/admin/users/", With(valid, "name", Str(Long)), 400, "name"),
            new("POST", "/admin/users/", With(valid, "role", "\"owner\""), 400, "role"),
            new("POST", "/admin/users/", With(valid, "role", null), 400, "role"),
            new("POST", "/admin/users/", With(valid, "password", "\"short\""), 400, "password"),
            new("POST", "/admin/users/", With(valid, "phone", "\"call me\""), 400, "phone"),
            new("PUT", $"/admin/users/{id}", "{\"name\": \"Only a name\"}", 400, "role"),
            new("PUT", $"/admin/users/{id}", "{\"name\": \"X\", \"role\": \"boss\"}", 400, "role"),
            new("PATCH", $"/admin/users/{id}", "{\"password\": \"short\"}", 400, "password"),
            new("PATCH", $"/admin/users/{id}", "{\"is_active\": \"no\"}", 400, "is_active"),
            new("PATCH", $"/admin/users/{id}", $"{{\"name\": {Str(Long)}}}", 400, "name"),
            new("PATCH", $"/admin/users/{Missing}", "{\"name\": \"X\"}", 404, null),
            new("POST", $"/admin/users/{Missing}/deactivate", null, 404, null),
            new("POST", $"/admin/users/{world.Admin.Id}/deactivate", null, 409, null),
            new("PATCH", $"/admin/users/{world.Admin.Id}", "{\"role\": \"manager\"}", 409, null),
        ]);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task List_queries_refuse_bad_parameters(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var client = await app.ClientForRoleAsync(UserRole.Admin);
        var cases = new List<BadCase>();
        foreach (var list in new[] { "/properties/", "/leads/", "/calls/", "/showings/", "/admin/users/" })
            cases.AddRange(
            [
                new("GET", $"{list}?page_size=1000000", 400, "page_size"),
                new("GET", $"{list}?page_size=0", 400, "page_size"),
                new("GET", $"{list}?page=0", 400, "page"),
                new("GET", $"{list}?page=abc", 400, "page"),
                new("GET", $"{list}?sort=password_hash", 400, "sort"),
            ]);
        cases.AddRange(
        [
            new("GET", "/properties/?min_price=-1", 400, "min_price"),
            new("GET", "/properties/?min_price=abc", 400, "min_price"),
            new("GET", "/properties/?min_price=500&max_price=100", 400, "max_price"),
            new("GET", "/properties/?status=gone", 400, "status"),
            new("GET", "/properties/?bedrooms=-2", 400, "bedrooms"),
            new("GET", $"/properties/?q={Long[..500]}", 400, "q"),
            new("GET", "/leads/?status=closed", 400, "status"),
            new("GET", "/leads/?intent=lease", 400, "intent"),
            new("GET", "/leads/?assigned_agent_id=x", 400, "assigned_agent_id"),
            new("GET", "/calls/?direction=sideways", 400, "direction"),
            new("GET", "/calls/?outcome=great", 400, "outcome"),
            new("GET", "/calls/?from=yesterday", 400, "from"),
            new("GET", "/calls/?from=2026-11-20&to=2026-11-01", 400, "to"),
            new("GET", "/showings/?status=maybe", 400, "status"),
            new("GET", "/reports/summary?from=soon", 400, "from"),
            new("GET", "/reports/summary?from=2020-01-01&to=2026-01-01", 400, "from"),
            new("GET", "/reports/summary?from=2026-11-20&to=2026-11-01", 400, "to"),
            new("GET", "/admin/users/?role=owner", 400, "role"),
            new("GET", "/properties/abc", 404, null),
        ]);
        await AssertAllRejectedAsync(app, client, cases);
    }
}
