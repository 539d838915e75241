using Npgsql;
using NpgsqlTypes;

namespace EstateVoice.Bench.PropertySearch;

/// <summary>Bulk-loads synthetic listings with binary COPY (100 000 rows in a few seconds).</summary>
public static class PropertyRows
{
    public static readonly string[] Cities =
    [
        "San Francisco", "Oakland", "San Jose", "Palo Alto", "Berkeley", "Fremont", "Sunnyvale", "Santa Clara", "Hayward", "Mountain View",
        "Redwood City", "San Mateo", "Daly City", "Alameda", "Walnut Creek", "Concord", "Richmond", "Milpitas", "Cupertino", "Menlo Park",
    ];

    private static readonly string[] Types = ["House", "House", "House", "Condo", "Condo", "Townhouse", "Apartment", "MultiFamily"];
    private static readonly string[] Statuses = ["Active", "Active", "Active", "Active", "Active", "Active", "Pending", "Sold", "OffMarket"];
    private static readonly string[] Features = ["garage parking", "updated kitchen", "backyard", "solar panels", "in-unit laundry", "bay views"];

    public static async Task InsertAsync(string connectionString, int count, int seed)
    {
        var random = new Random(seed);
        var now = DateTimeOffset.UtcNow;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY \"Properties\" (\"Address\", \"City\", \"State\", \"Zip\", \"Price\", \"Bedrooms\", \"Bathrooms\", \"SquareFeet\", " +
            "\"PropertyType\", \"Status\", \"Description\", \"Features\", \"CreatedAt\", \"UpdatedAt\") FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < count; i++)
            {
                var bedrooms = random.Next(1, 7);
                var created = now.AddMinutes(-random.Next(0, 60 * 24 * 365));
                await writer.StartRowAsync();
                await writer.WriteAsync($"{random.Next(1, 9999)} Bench St #{i}", NpgsqlDbType.Varchar);
                await writer.WriteAsync(Cities[random.Next(Cities.Length)], NpgsqlDbType.Varchar);
                await writer.WriteAsync("CA", NpgsqlDbType.Varchar);
                await writer.WriteAsync($"94{random.Next(0, 999):000}", NpgsqlDbType.Varchar);
                await writer.WriteAsync((decimal)(300_000 + random.Next(0, 2_700) * 1_000), NpgsqlDbType.Numeric);
                await writer.WriteAsync(bedrooms, NpgsqlDbType.Integer);
                await writer.WriteAsync(Math.Max(1, bedrooms - 1) + 0.5m * random.Next(0, 2), NpgsqlDbType.Numeric);
                await writer.WriteAsync(bedrooms * 450 + random.Next(300, 900), NpgsqlDbType.Integer);
                await writer.WriteAsync(Types[random.Next(Types.Length)], NpgsqlDbType.Varchar);
                await writer.WriteAsync(Statuses[random.Next(Statuses.Length)], NpgsqlDbType.Varchar);
                await writer.WriteAsync($"A {bedrooms}-bedroom home used by the property-search benchmark.", NpgsqlDbType.Varchar);
                await writer.WriteAsync(new[] { Features[random.Next(Features.Length)], Features[random.Next(Features.Length)] }, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await writer.WriteAsync(created, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(created, NpgsqlDbType.TimestampTz);
            }
            await writer.CompleteAsync();
        }
        // As autovacuum would soon after a bulk load: statistics, then the visibility map index-only scans rely on.
        // A VACUUM that runs while autovacuum's own ANALYZE holds a snapshot cannot mark pages all-visible yet,
        // so repeat until it has.
        await ExecuteAsync(connection, "ANALYZE \"Properties\"");
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await ExecuteAsync(connection, "VACUUM \"Properties\"");
            await using var check = new NpgsqlCommand("SELECT relallvisible >= relpages * 0.95 FROM pg_class WHERE relname = 'Properties'", connection);
            if (await check.ExecuteScalarAsync() is true) return;
            await Task.Delay(500);
        }
        Console.WriteLine("warning: the visibility map is still not set; index-only scans will visit the heap");
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
