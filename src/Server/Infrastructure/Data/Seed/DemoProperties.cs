using EstateVoice.Server.Features.Properties;

namespace EstateVoice.Server.Infrastructure.Data.Seed;

/// <summary>~60 listings over five Bay Area cities with prices in each city's real range.</summary>
internal static class DemoProperties
{
    private sealed record City(string Name, string Zip, decimal MinPrice, decimal MaxPrice, string[] Streets, string Flavor);

    private static readonly City[] Cities =
    [
        new("San Francisco", "941", 850_000m, 3_400_000m, ["Valencia St", "Noe St", "Clement St", "Union St", "Lombard St", "Judah St", "Castro St"], "a short walk to Muni and neighbourhood cafés"),
        new("Oakland", "946", 550_000m, 1_600_000m, ["Grand Ave", "Piedmont Ave", "College Ave", "Lakeshore Ave", "Telegraph Ave", "Park Blvd"], "minutes from Lake Merritt and BART"),
        new("San Jose", "951", 750_000m, 2_300_000m, ["Willow St", "Lincoln Ave", "Almaden Rd", "Bird Ave", "Meridian Ave", "Hamilton Ave"], "close to Willow Glen's shops and the tech corridor"),
        new("Palo Alto", "943", 1_900_000m, 5_200_000m, ["University Ave", "Middlefield Rd", "Waverley St", "Embarcadero Rd", "Cowper St"], "in a top-rated school district near Stanford"),
        new("Berkeley", "947", 900_000m, 2_600_000m, ["Shattuck Ave", "Rose St", "Cedar St", "Euclid Ave", "Hearst Ave", "Solano Ave"], "near the Gourmet Ghetto and the hills trails"),
    ];

    private static readonly string[] Features =
    [
        "hardwood floors", "updated kitchen", "quartz counters", "stainless appliances", "in-unit laundry", "garage parking",
        "EV charger", "solar panels", "backyard", "deck", "bay views", "fireplace", "central air", "home office", "walk-in closet",
        "primary suite", "double-pane windows", "ADU potential", "gated entry", "rooftop terrace",
    ];

    private static readonly string[] Openers =
    [
        "Light-filled {0} {1}", "Beautifully updated {0} {1}", "Classic {0} {1} with modern touches", "Move-in ready {0} {1}",
        "Charming {0} {1}", "Spacious {0} {1}",
    ];

    public static List<Property> Create(Random random, DateTimeOffset now, int[] listingAgentIds)
    {
        var properties = new List<Property>();
        for (var i = 0; i < 60; i++)
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
                City = city.Name, State = "CA", Zip = city.Zip + random.Next(0, 99).ToString("00"),
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
