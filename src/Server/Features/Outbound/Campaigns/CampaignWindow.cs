namespace EstateVoice.Server.Features.Outbound.Campaigns;

/// <summary>
/// The campaign's own calling window (days and hours in the lead's time zone, else the campaign's). It only narrows
/// the gate's legal hours; the gate still decides.
/// </summary>
public static class CampaignWindow
{
    /// <summary>Monday to Friday.</summary>
    public const int Weekdays = 0b0111110;
    public const int AllDays = 0b1111111;

    public static int ToMask(IEnumerable<DayOfWeek> days) => days.Aggregate(0, (mask, d) => mask | 1 << (int)d);

    public static IReadOnlyList<DayOfWeek> FromMask(int mask) =>
        Enum.GetValues<DayOfWeek>().Where(d => (mask & 1 << (int)d) != 0).ToList();

    public static TimeZoneInfo? FindZone(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    /// <summary>Null when <paramref name="now"/> is inside the window; else the window's next opening, in UTC.</summary>
    public static DateTimeOffset? NextOpening(Campaign campaign, string? leadTimeZone, DateTimeOffset now)
    {
        var zone = FindZone(leadTimeZone) ?? FindZone(campaign.TimeZone) ?? TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        if (IsOpen(campaign, local.DayOfWeek, TimeOnly.FromDateTime(local.DateTime))) return null;
        if (campaign.Days == 0 || campaign.WindowStart >= campaign.WindowEnd) return now.AddDays(7); // never opens: look again later
        for (var day = 0; day <= 7; day++)
        {
            var date = DateOnly.FromDateTime(local.DateTime).AddDays(day);
            if ((campaign.Days & 1 << (int)date.DayOfWeek) == 0) continue;
            var opening = date.ToDateTime(campaign.WindowStart);
            var offset = zone.GetUtcOffset(opening);
            // In UTC: Npgsql writes only offset-0 values to timestamptz (a local offset threw and the row stayed claimed).
            var candidate = new DateTimeOffset(opening, offset).ToUniversalTime();
            if (candidate > now) return candidate;
        }
        return now.AddDays(1);
    }

    private static bool IsOpen(Campaign campaign, DayOfWeek day, TimeOnly time) =>
        (campaign.Days & 1 << (int)day) != 0 && time >= campaign.WindowStart && time < campaign.WindowEnd;
}
