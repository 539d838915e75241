using Npgsql;

namespace EstateVoice.Bench.PropertySearch;

/// <summary>EXPLAIN ANALYZE of the SQL the list endpoint runs (as EF Core generates it), to see where time goes.</summary>
public static class QueryPlans
{
    private const string Filter = "WHERE p.\"City\" = 'Oakland' AND p.\"Price\" >= 600000 AND p.\"Price\" <= 1800000 AND p.\"Bedrooms\" >= 3";

    public static async Task PrintAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var stats = new NpgsqlCommand("SELECT relpages, relallvisible FROM pg_class WHERE relname = 'Properties'", connection))
        await using (var reader = await stats.ExecuteReaderAsync())
            if (await reader.ReadAsync()) Console.WriteLine($"Properties: {reader.GetInt32(0)} pages, {reader.GetInt32(1)} all-visible");
        foreach (var (name, sql) in new[]
        {
            ("count", $"SELECT count(*)::int FROM \"Properties\" AS p {Filter}"),
            ("page 1", "SELECT p.\"Id\", p.\"Address\", p.\"City\", p.\"Price\", p.\"Features\", u.\"Name\" FROM \"Properties\" AS p " +
                        "LEFT JOIN \"Users\" AS u ON p.\"ListingAgentId\" = u.\"Id\" WHERE p.\"Id\" IN (" +
                        $"SELECT p.\"Id\" FROM \"Properties\" AS p {Filter} ORDER BY p.\"CreatedAt\" DESC, p.\"Id\" DESC LIMIT 20) " +
                        "ORDER BY p.\"CreatedAt\" DESC, p.\"Id\" DESC"),
            ("page 50", "SELECT p.\"Id\", p.\"Address\", p.\"City\", p.\"Price\", p.\"Features\", u.\"Name\" FROM \"Properties\" AS p " +
                        "LEFT JOIN \"Users\" AS u ON p.\"ListingAgentId\" = u.\"Id\" WHERE p.\"Id\" IN (" +
                        $"SELECT p.\"Id\" FROM \"Properties\" AS p {Filter} ORDER BY p.\"CreatedAt\" DESC, p.\"Id\" DESC LIMIT 20 OFFSET 980) " +
                        "ORDER BY p.\"CreatedAt\" DESC, p.\"Id\" DESC"),
        })
        {
            await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            Console.WriteLine($"EXPLAIN ANALYZE ({name}):");
            while (await reader.ReadAsync()) Console.WriteLine("    " + reader.GetString(0));
        }
    }
}
