using EstateVoice.Server.Features.Properties;

namespace EstateVoice.Server.Infrastructure.Data.Seed;

/// <summary>60 listings over five Texas cities with prices in each city's real range.</summary>
internal static class DemoProperties
{
    private sealed record City(string Name, string Zip, decimal MinPrice, decimal MaxPrice, string[] Streets, string Flavor);

    // Texas, where the caller fixtures (tests/fixtures) look: "a three bedroom house in Austin under $500k", "my condo in Dallas".
    private static readonly City[] Cities =
    [
        new("Austin", "787", 280_000m, 1_150_000m, ["S Congress Ave", "Barton Springs Rd", "Manor Rd", "Burnet Rd", "Duval St", "E Cesar Chavez St", "Shoal Creek Blvd"], "minutes from Zilker Park and downtown"),
        new("Dallas", "752", 240_000m, 1_050_000m, ["Swiss Ave", "Greenville Ave", "Lovers Ln", "Mockingbird Ln", "Ross Ave", "Gaston Ave"], "close to White Rock Lake and the Katy Trail"),
        new("Houston", "770", 210_000m, 950_000m, ["Westheimer Rd", "Montrose Blvd", "Heights Blvd", "Shepherd Dr", "Kirby Dr", "Yale St"], "near the Heights' shops and Buffalo Bayou trails"),
        new("San Antonio", "782", 190_000m, 720_000m, ["Broadway St", "McCullough Ave", "S Alamo St", "Fredericksburg Rd", "Blanco Rd"], "a short drive to the Pearl and the River Walk"),
        new("Round Rock", "786", 290_000m, 760_000m, ["Palm Valley Blvd", "Sam Bass Rd", "Gattis School Rd", "Red Bud Ln", "Mays St"], "in a well-rated school district north of Austin"),
    ];

    /// <summary>Listings the scripted demo calls and the voice agent's fixtures rely on finding.</summary>
    private static readonly (string Address, string City, string Zip, decimal Price, int Bedrooms, decimal Bathrooms, int SquareFeet, PropertyType Type, string Description, string[] Features)[] Anchors =
    [
        ("1408 Maple Leaf Dr", "Austin", "78745", 459_000m, 3, 2m, 1_640, PropertyType.House,
            "Updated 3-bedroom ranch house on a quiet street in South Austin, minutes from Zilker Park. Big shaded backyard.", ["backyard", "updated kitchen", "garage parking"]),
        ("2210 Cedar Bend Ln", "Austin", "78758", 485_000m, 3, 2.5m, 1_820, PropertyType.House,
            "Two-story 3-bedroom house near the Domain with an open kitchen and a home office nook.", ["home office", "quartz counters", "central air"]),
        ("907 Pecan Grove Rd", "Austin", "78723", 429_000m, 3, 2m, 1_510, PropertyType.House,
            "Charming 3-bedroom house in Windsor Park with original hardwoods and a covered patio.", ["hardwood floors", "deck", "solar panels"]),
        ("3300 McKinney Ave #412", "Dallas", "75204", 365_000m, 2, 2m, 1_120, PropertyType.Condo,
            "Uptown Dallas condo with a balcony, gym and rooftop pool; walk to the Katy Trail.", ["rooftop terrace", "in-unit laundry", "gated entry"]),
    ];

    private static readonly string[] Features =
    [
        "hardwood floors", "updated kitchen", "quartz counters", "stainless appliances", "in-unit laundry", "garage parking",
        "EV charger", "solar panels", "backyard", "deck", "hill country views", "fireplace", "central air", "home office", "walk-in closet",
        "primary suite", "double-pane windows", "ADU potential", "gated entry", "rooftop terrace",
    ];

    private static readonly string[] Openers =
    [
        "Light-filled {0} {1}", "Beautifully updated {0} {1}", "Classic {0} {1} with modern touches", "Move-in ready {0} {1}",
        "Charming {0} {1}", "Spacious {0} {1}",
    ];

    public static List<Property> Create(Random random, DateTimeOffset now, int[] listingAgentIds)
    {
        var properties = Anchors.Select((a, n) => new Property
        {
            Address = a.Address, City = a.City, State = "TX", Zip = a.Zip, Price = a.Price, Bedrooms = a.Bedrooms, Bathrooms = a.Bathrooms,
            SquareFeet = a.SquareFeet, PropertyType = a.Type, Status = PropertyStatus.Active, Description = a.Description, Features = [.. a.Features],
            ListingAgentId = listingAgentIds.Length == 0 ? null : listingAgentIds[n % listingAgentIds.Length],
            CreatedAt = now.AddDays(-3 - n * 4), UpdatedAt = now.AddDays(-2 - n * 4),
        }).ToList();
        for (var i = properties.Count; i < 60; i++)
        {
            var city = Cities[i % Cities.Length];
            var type = (i % 10) switch
            {
                0 or 1 or 2 or 3 => PropertyType.House,
                4 or 5 => PropertyType.Condo,
                6 => PropertyType.Townhouse,
                7 => PropertyType.Apartment,
                8 => PropertyType.MultiFamily,
                _ => i % 20 == 9 ? PropertyType.Land : PropertyType.House,
            };
            var bedrooms = type switch
            {
                PropertyType.Land => 0,
                PropertyType.Condo or PropertyType.Apartment => random.Next(1, 4),
                PropertyType.MultiFamily => random.Next(4, 9),
                _ => random.Next(2, 6),
            };
            var squareFeet = type == PropertyType.Land ? 0 : bedrooms * 420 + random.Next(350, 900);
            var spread = city.MaxPrice - city.MinPrice;
            var sizeFactor = type == PropertyType.Land ? 0.15m : Math.Min(1m, bedrooms / 5m);
            var price = RoundTo(city.MinPrice + spread * (0.6m * sizeFactor + 0.4m * (decimal)random.NextDouble()), 5_000m);
            var features = Features.OrderBy(_ => random.Next()).Take(type == PropertyType.Land ? 0 : random.Next(3, 6)).ToList();
            var createdAt = now.AddDays(-random.Next(2, 150)).AddMinutes(-random.Next(0, 1440));
            var typeName = type switch
            {
                PropertyType.MultiFamily => "duplex",
                PropertyType.Land => "lot",
                _ => type.ToString().ToLowerInvariant(),
            };
            var description = type == PropertyType.Land
                ? $"Buildable {random.Next(4, 12) * 1000:N0} sq ft lot {city.Flavor}. Utilities at the street; plans available."
                : string.Format(Openers[random.Next(Openers.Length)], $"{bedrooms}-bedroom", typeName)
                  + $" {city.Flavor}. Features {string.Join(", ", features.Take(3))}"
                  + (features.Count > 3 ? $" and {features[3]}." : ".");
            properties.Add(new Property
            {
                Address = $"{random.Next(100, 4999)} {city.Streets[random.Next(city.Streets.Length)]}",
                City = city.Name, State = "TX", Zip = city.Zip + random.Next(0, 99).ToString("00"),
                Price = price, Bedrooms = bedrooms,
                Bathrooms = type == PropertyType.Land ? 0 : Math.Max(1, bedrooms - 1) + (random.Next(2) == 0 ? 0.5m : 0m),
                SquareFeet = squareFeet, PropertyType = type,
                Status = (i % 12) switch { 3 => PropertyStatus.Pending, 7 => PropertyStatus.Sold, 11 => PropertyStatus.OffMarket, _ => PropertyStatus.Active },
                Description = description, Features = features,
                ListingAgentId = listingAgentIds.Length == 0 ? null : listingAgentIds[i % listingAgentIds.Length],
                CreatedAt = createdAt, UpdatedAt = createdAt.AddDays(random.Next(0, 2)),
            });
        }
        return properties;
    }

    private static decimal RoundTo(decimal value, decimal step) => Math.Round(value / step) * step;
}
