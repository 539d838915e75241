namespace EstateVoice.Server.Features.Outbound.Compliance;

/// <summary>Whether a moment is inside the calling window in each of a lead's possible zones, and if not, the next one that is.</summary>
public static class CallingWindow
{
    // Long enough to jump a holiday next to a weekend of quiet days; beyond it nothing opens (every day quiet).
    private const int LookAheadDays = 15;

    public sealed record Closed(bool QuietDay, DateTimeOffset? NextOpening);

    /// <summary>Null when <paramref name="now"/> is inside the window in every zone; else why not and when it opens.</summary>
    public static Closed? Check(IReadOnlyList<TimeZoneInfo> zones, DateTimeOffset now, DialComplianceOptions options)
    {
        var quiet = false;
        var open = true;
        foreach (var zone in zones)
        {
            var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
            if (IsQuiet(DateOnly.FromDateTime(local), options)) quiet = true;
            else if (!InHours(TimeOnly.FromDateTime(local), options)) open = false;
        }
        return quiet || !open ? new Closed(quiet, NextOpening(zones, now, options)) : null;
    }

    public static bool IsOpen(IReadOnlyList<TimeZoneInfo> zones, DateTimeOffset at, DialComplianceOptions options)
    {
        foreach (var zone in zones)
        {
            var local = TimeZoneInfo.ConvertTime(at, zone).DateTime;
            if (IsQuiet(DateOnly.FromDateTime(local), options) || !InHours(TimeOnly.FromDateTime(local), options)) return false;
        }
        return true;
    }

    /// <summary>
    /// The overlap of the zones' windows always begins at one zone's opening, so the first opening (in any zone,
    /// on any day ahead) at which every zone is open is the answer.
    /// </summary>
    public static DateTimeOffset? NextOpening(IReadOnlyList<TimeZoneInfo> zones, DateTimeOffset now, DialComplianceOptions options)
    {
        var candidates = new List<DateTimeOffset>(zones.Count * (LookAheadDays + 1));
        foreach (var zone in zones)
        {
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
            for (var d = 0; d <= LookAheadDays; d++)
            {
                var opening = AtLocal(today.AddDays(d).ToDateTime(options.WindowStart), zone);
                if (opening > now) candidates.Add(opening);
            }
        }
        candidates.Sort();
        foreach (var candidate in candidates)
            if (IsOpen(zones, candidate, options)) return candidate.ToUniversalTime();
        return null;
    }

    /// <summary>
    /// The instant a local wall-clock time names. A time skipped by spring-forward moves to the first valid one after
    /// the gap; a time that happens twice at fall-back is its first occurrence.
    /// </summary>
    public static DateTimeOffset AtLocal(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var guard = 0;
        while (zone.IsInvalidTime(local) && guard++ < 4 * 24) local = local.AddMinutes(15);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    private static bool IsQuiet(DateOnly day, DialComplianceOptions options) =>
        options.QuietDays.Contains(day.DayOfWeek) || UsHolidays.IsHoliday(day, options.Holidays);

    private static bool InHours(TimeOnly time, DialComplianceOptions options) => time >= options.WindowStart && time < options.WindowEnd;
}
