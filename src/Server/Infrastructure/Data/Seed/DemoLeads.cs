using EstateVoice.Server.Features.Leads;

namespace EstateVoice.Server.Infrastructure.Data.Seed;

/// <summary>~40 leads spread over every pipeline status, with the qualification fields a call would fill in.</summary>
internal static class DemoLeads
{
    private static readonly string[] Names =
    [
        "Maria Gonzalez", "James Chen", "Priya Natarajan", "Daniel Okafor", "Emily Carter", "Wei Zhang", "Sofia Rossi",
        "Marcus Lee", "Aisha Rahman", "Tom Becker", "Hannah Kim", "Luis Herrera", "Grace Liu", "Omar Haddad", "Chloe Martin",
        "Raj Patel", "Natalie Brooks", "Kenji Watanabe", "Olivia Nguyen", "Samuel Adeyemi", "Isabella Costa", "Ethan Walsh",
        "Fatima Malik", "Noah Schmidt", "Mei Tanaka", "Lucas Moreau", "Ava Thompson", "Diego Ramirez", "Zoe Sullivan",
        "Arjun Mehta", "Leah Goldberg", "Carlos Silva", "Nina Petrova", "Ben Foster", "Yara Haddad", "Kevin O'Brien",
        "Lina Park", "Victor Alvarez", "Ruth Ambrose", "Sean Murphy",
    ];

    private static readonly string[] Areas = ["Austin", "Dallas", "Houston", "San Antonio", "Round Rock"];
    private static readonly string[] Timelines = ["ASAP", "1-3 months", "3-6 months", "6-12 months", "just browsing"];

    private static readonly string?[] Notes =
    [
        "Wants a yard for the dog.", "Relocating for work in the fall.", "First-time buyer; asked about down payment programs.",
        "Needs a home office.", "Prefers walkable neighbourhoods near transit.", "Selling a condo first.", "Has two kids; schools matter.",
        "Looking for an investment duplex.", null, null,
    ];

    public static List<Lead> Create(Random random, DateTimeOffset now, int[] agentIds)
    {
        var statuses = Enum.GetValues<LeadStatus>();
        var sources = Enum.GetValues<LeadSource>();
        var leads = new List<Lead>();
        for (var i = 0; i < Names.Length; i++)
        {
            // Every status appears (i % 7), the early stages more often, as in a real pipeline.
            var status = i < 14 ? statuses[i % statuses.Length] : statuses[Math.Min(random.Next(0, 9) / 2, statuses.Length - 1)];
            var intent = (i % 8) switch { 5 => LeadIntent.Sell, 6 => LeadIntent.Rent, 7 when status == LeadStatus.New => (LeadIntent?)null, _ => LeadIntent.Buy };
            var createdAt = now.AddDays(-random.Next(0, 45)).AddMinutes(-random.Next(0, 1440));
            var area = Areas[random.Next(Areas.Length)];
            var (min, max) = intent switch
            {
                LeadIntent.Rent => (1_400m + 100m * random.Next(0, 8), 2_400m + 100m * random.Next(0, 12)),
                LeadIntent.Sell => (0m, 0m),
                _ => (250_000m + 25_000m * random.Next(0, 20), 0m),
            };
            if (intent == LeadIntent.Buy) max = min + 75_000m + 25_000m * random.Next(0, 12);
            var qualified = status is LeadStatus.Qualified or LeadStatus.Showing or LeadStatus.Offer or LeadStatus.Won
                            || (status == LeadStatus.Lost && i % 2 == 0);
            var name = Names[i];
            leads.Add(new Lead
            {
                Name = name,
                Phone = $"+1512555{1000 + i * 37:0000}",
                Email = i % 5 == 4 ? null : $"{name.ToLowerInvariant().Replace(' ', '.').Replace("'", "")}@example.com",
                Source = i % 3 == 0 ? LeadSource.InboundCall : sources[random.Next(sources.Length)],
                Status = status,
                Intent = intent,
                BudgetMin = intent is LeadIntent.Buy or LeadIntent.Rent ? min : null,
                BudgetMax = intent is LeadIntent.Buy or LeadIntent.Rent ? max : null,
                PreApproved = intent == LeadIntent.Buy && status != LeadStatus.New ? random.Next(3) > 0 : null,
                Timeline = status == LeadStatus.New && i % 2 == 0 ? null : Timelines[random.Next(Timelines.Length)],
                PreferredAreas = intent == LeadIntent.Sell ? [] : random.Next(3) == 0 ? [area, Areas[(Array.IndexOf(Areas, area) + 1) % Areas.Length]] : [area],
                Bedrooms = intent == LeadIntent.Sell ? null : random.Next(1, 5),
                Notes = Notes[random.Next(Notes.Length)],
                // New inbound leads wait in the unassigned queue until a manager picks an agent.
                AssignedAgentId = status == LeadStatus.New && i % 3 == 0 || agentIds.Length == 0 ? null : agentIds[i % agentIds.Length],
                ConsentToCall = i % 11 != 10,
                DoNotCall = i % 13 == 12,
                TimeZone = "America/Chicago",
                QualifiedAt = qualified ? Min(createdAt.AddDays(random.Next(1, 6)), now.AddHours(-1)) : null,
                CreatedAt = createdAt,
                UpdatedAt = Min(createdAt.AddDays(random.Next(0, 8)), now),
            });
        }
        return leads;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
