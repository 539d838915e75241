using System.Text.Json;
using EstateVoice.Server.Features.Admin;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Properties;
using EstateVoice.Server.Features.Showings;
using EstateVoice.Server.Tests.Infrastructure;

namespace EstateVoice.Server.Tests.Features.Crm;

/// <summary>
/// Every sort key and every filter of every list, over the demo data, on both databases: each must run as SQL
/// (EF Core throws on what it cannot translate), and numeric and time sorts must come back in order.
/// </summary>
public class ListQueryTranslationTests
{
    public static IEnumerable<object[]> Lists =>
        from db in new[] { Db.Sqlite, Db.Postgres }
        from list in new[] { "properties", "leads", "calls", "showings", "users" }
        select new object[] { db, list };

    [Theory, MemberData(nameof(Lists))]
    public async Task Every_sort_key_and_filter_runs_and_orders(Db db, string list)
    {
        await using var app = await AppFactory.CreateAsync(db, new() { ["SEED_DEMO_DATA"] = "true" });
        var client = await app.ClientForRoleAsync(EstateVoice.Server.Features.Auth.UserRole.Admin);
        var (path, sorts, filters) = list switch
        {
            "properties" => ("/properties/", PropertySearch.Sorts.Names,
                new[] { "city=Austin", "min_price=500000&max_price=2000000", "bedrooms=3", "status=pending", "property_type=multi_family", "q=views" }),
            "leads" => ("/leads/", LeadSearch.Sorts.Names,
                new[] { "status=offer", "intent=rent", "source=inbound_call", "assigned_agent_id=3", "q=chen" }),
            "calls" => ("/calls/", CallSearch.Sorts.Names,
                new[] { "status=completed", "direction=outbound", "outcome=qualified", "from=2026-11-01", "to=2026-11-20", "agent_id=3", "lead_id=1", "call_sid=CA0", "q=showing" }),
            "showings" => ("/showings/", ShowingSearch.Sorts.Names,
                new[] { "status=scheduled", "from=2026-11-25", "to=2026-12-01", "lead_id=1", "agent_id=3", "property_id=1" }),
            _ => ("/admin/users/", UserSearch.Sorts.Names, new[] { "role=agent", "is_active=true", "q=agent" }),
        };

        foreach (var sort in sorts.SelectMany(s => new[] { s, "-" + s }))
        {
            var page = await client.GetJsonAsync($"{path}?sort={sort}&page_size=100");
            Assert.True(page.Total() > 0, $"{path} sort={sort} returned nothing");
            AssertOrdered(page, sort);
        }
        var all = (await client.GetJsonAsync(path)).Total();
        foreach (var filter in filters)
        {
            var filtered = await client.GetJsonAsync($"{path}?{filter}");
            Assert.InRange(filtered.Total(), 0, all);
        }
        var combined = await client.GetJsonAsync($"{path}?{string.Join('&', filters)}&page=2&page_size=5");
        Assert.InRange(combined.Total(), 0, all);
    }

    /// <summary>Numbers and ISO times (all UTC, so text order is time order) must be monotonic; text sorts follow the database collation.</summary>
    private static void AssertOrdered(JsonElement page, string sort)
    {
        var field = sort.TrimStart('-');
        // The calls list's name column (lead, else caller, else number) is text in the database's collation, like every text sort.
        if (field == "caller") return;
        var all = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty(field)).ToList();
        // Rows without a value come last whichever the direction, on both databases.
        var firstNull = all.FindIndex(v => v.ValueKind == JsonValueKind.Null);
        Assert.True(firstNull < 0 || all.Skip(firstNull).All(v => v.ValueKind == JsonValueKind.Null), $"sort={sort}: a null before a value");
        var values = all.Where(v => v.ValueKind != JsonValueKind.Null).ToList();
        if (values.Count < 2) return;
        var descending = sort.StartsWith('-');
        for (var i = 1; i < values.Count; i++)
        {
            int comparison;
            if (values[i].ValueKind == JsonValueKind.Number) comparison = values[i - 1].GetDecimal().CompareTo(values[i].GetDecimal());
            else if (values[i].TryGetDateTimeOffset(out var time)) comparison = values[i - 1].GetDateTimeOffset().CompareTo(time);
            else return;
            Assert.True(descending ? comparison >= 0 : comparison <= 0, $"sort={sort}: {values[i - 1]} then {values[i]}");
        }
    }
}
