using EstateVoice.Server.Features.Properties;

namespace EstateVoice.Server.Tests.Features.Voice.Fakes;

/// <summary>
/// Demo-like Texas listings the caller fixtures ask about, written to the test's own database. Besides the
/// listing the buyer fixture should be offered (1200 Barton Springs Rd), there are cheaper Austin houses that are
/// not on the market, so an agent that ignored the status would offer the wrong one.
/// </summary>
public static class VoiceListings
{
    public const string BartonSprings = "1200 Barton Springs Rd";
    public const string SoldInAustin = "905 Enfield Rd";
    public const string PendingInAustin = "3100 Speedway";

    public static Task<Dictionary<string, int>> SeedAsync(VoiceAppFactory app) => app.WithDbAsync(async db =>
    {
        var now = DateTimeOffset.UtcNow;
        Property Listing(string address, string city, string zip, decimal price, int beds, decimal baths, int sqft,
            PropertyType type, PropertyStatus status, string description, params string[] features) => new()
            {
                Address = address, City = city, State = "TX", Zip = zip, Price = price, Bedrooms = beds, Bathrooms = baths,
                SquareFeet = sqft, PropertyType = type, Status = status, Description = description, Features = [.. features],
                CreatedAt = now, UpdatedAt = now,
            };
        Property[] listings =
        [
            Listing(SoldInAustin, "Austin", "78703", 410_000m, 3, 2m, 1500, PropertyType.House, PropertyStatus.Sold, "Sold last month."),
            Listing(PendingInAustin, "Austin", "78705", 440_000m, 3, 2m, 1550, PropertyType.House, PropertyStatus.Pending, "Under contract."),
            Listing(BartonSprings, "Austin", "78704", 475_000m, 3, 2m, 1650, PropertyType.House, PropertyStatus.Active, "Updated kitchen near Zilker Park.", "yard", "garage"),
            Listing("88 Rainey St Unit 1203", "Austin", "78701", 520_000m, 2, 2m, 1100, PropertyType.Condo, PropertyStatus.Active, "High-rise condo with lake views.", "pool", "gym"),
            Listing("4410 Duval St", "Austin", "78751", 689_000m, 4, 3m, 2400, PropertyType.House, PropertyStatus.Active, "Hyde Park craftsman.", "porch"),
            Listing("2300 McKinney Ave", "Dallas", "75201", 399_000m, 2, 2m, 1200, PropertyType.Condo, PropertyStatus.Active, "Uptown condo.", "balcony"),
            Listing("715 Heights Blvd", "Houston", "77007", 560_000m, 3, 2.5m, 2100, PropertyType.Townhouse, PropertyStatus.Active, "Heights townhouse.", "rooftop"),
            Listing("12 Main St", "Round Rock", "78664", 350_000m, 3, 2m, 1400, PropertyType.House, PropertyStatus.OffMarket, "Withdrawn."),
        ];
        db.Properties.AddRange(listings);
        await db.SaveChangesAsync();
        return listings.ToDictionary(p => p.Address, p => p.Id);
    });
}
