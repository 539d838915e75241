using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Properties;
using EstateVoice.Server.Features.Showings;

namespace EstateVoice.Server.Infrastructure.Data.Seed;

/// <summary>A few showings for leads in the Showing/Offer/Won stages: some past (completed, no-show, canceled), some upcoming.</summary>
internal static class DemoShowings
{
    public static List<Showing> Create(Random random, DateTimeOffset now, IReadOnlyList<Lead> leads, IReadOnlyList<Property> properties)
    {
        var candidates = leads.Where(l => l.Status is LeadStatus.Showing or LeadStatus.Offer or LeadStatus.Won).ToList();
        var listings = properties.Where(p => p.Status is PropertyStatus.Active or PropertyStatus.Pending && p.PropertyType != PropertyType.Land).ToList();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var plan = new (int Days, int Hour, ShowingStatus Status, ShowingSource Source)[]
        {
            (-12, 17, ShowingStatus.Completed, ShowingSource.Staff), (-8, 18, ShowingStatus.Completed, ShowingSource.VoiceAgent),
            (-5, 16, ShowingStatus.NoShow, ShowingSource.VoiceAgent), (-3, 19, ShowingStatus.Canceled, ShowingSource.Staff),
            (1, 17, ShowingStatus.Scheduled, ShowingSource.VoiceAgent), (2, 18, ShowingStatus.Scheduled, ShowingSource.Staff),
            (4, 20, ShowingStatus.Scheduled, ShowingSource.VoiceAgent), (6, 17, ShowingStatus.Scheduled, ShowingSource.Staff),
        };
        var showings = new List<Showing>();
        for (var i = 0; i < plan.Length && candidates.Count > 0 && listings.Count > 0; i++)
        {
            var (days, hour, status, source) = plan[i];
            var lead = candidates[i % candidates.Count];
            var startsAt = today.AddDays(days).AddHours(hour);   // UTC afternoon/evening = Central daytime
            var createdAt = (days < 0 ? startsAt.AddDays(-random.Next(2, 5)) : now.AddDays(-random.Next(1, 4)));
            showings.Add(new Showing
            {
                LeadId = lead.Id, PropertyId = listings[(i * 5) % listings.Count].Id, AgentId = lead.AssignedAgentId,
                StartsAt = startsAt, EndsAt = startsAt.AddHours(1), Status = status, Source = source,
                Notes = source == ShowingSource.VoiceAgent ? "Booked by the voice agent during an inbound call." : "Booked by phone with the agent.",
                CreatedAt = createdAt, UpdatedAt = createdAt,
            });
        }
        return showings;
    }
}
