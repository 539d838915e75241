using System.Globalization;

namespace EstateVoice.Server.Features.Outbound.Compliance;

/// <summary>The gate's rules that a team may tune; the bounds the law sets (08:00-21:00 local) are not tunable.</summary>
public sealed class DialComplianceOptions
{
    /// <summary>No setting can open the window wider than this (the TCPA's 8 a.m. to 9 p.m. in the called party's time).</summary>
    public static readonly TimeOnly EarliestAllowed = new(8, 0);
    public static readonly TimeOnly LatestAllowed = new(21, 0);

    /// <summary><c>OUTBOUND_CALLING_HOURS</c> ("09:00-20:00"): the lead's local hours we call in, clamped to 08:00-21:00.</summary>
    public TimeOnly WindowStart { get; set; } = new(9, 0);
    public TimeOnly WindowEnd { get; set; } = new(20, 0);

    /// <summary><c>OUTBOUND_MAX_ATTEMPTS</c>: outbound calls to one lead within <see cref="AttemptWindowDays"/>.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary><c>OUTBOUND_ATTEMPT_WINDOW_DAYS</c>: the rolling window the attempt cap counts over.</summary>
    public int AttemptWindowDays { get; set; } = 7;

    /// <summary><c>OUTBOUND_QUIET_DAYS</c> ("sunday,saturday"): weekdays without calls, in the lead's local time. None by default.</summary>
    public HashSet<DayOfWeek> QuietDays { get; set; } = [];

    /// <summary><c>OUTBOUND_HOLIDAYS</c>: names from <see cref="UsHolidays"/> or fixed dates (MM-DD, YYYY-MM-DD); "none" for none.</summary>
    public List<string> Holidays { get; set; } = [.. UsHolidays.Defaults];

    /// <summary><c>DNC_REGISTRY_POLL_SECONDS</c>: how often a node looks for a newer national-registry upload.</summary>
    public int RegistryPollSeconds { get; set; } = 30;

    public TimeSpan AttemptWindow => TimeSpan.FromDays(AttemptWindowDays);

    /// <summary>Reads the env names above; a bad value is left at its default and reported by <see cref="Problems"/>.</summary>
    public void Read(IConfiguration config, List<string> problems)
    {
        if (config["OUTBOUND_CALLING_HOURS"] is { Length: > 0 } hours)
        {
            if (ParseHours(hours) is { } window) (WindowStart, WindowEnd) = Clamp(window.Start, window.End);
            else problems.Add("OUTBOUND_CALLING_HOURS must look like 09:00-20:00.");
        }
        if (config["OUTBOUND_MAX_ATTEMPTS"] is { Length: > 0 } max)
        {
            if (int.TryParse(max, CultureInfo.InvariantCulture, out var m) && m >= 1) MaxAttempts = m;
            else problems.Add("OUTBOUND_MAX_ATTEMPTS must be a whole number of at least 1.");
        }
        if (config["OUTBOUND_ATTEMPT_WINDOW_DAYS"] is { Length: > 0 } days)
        {
            if (int.TryParse(days, CultureInfo.InvariantCulture, out var d) && d is >= 1 and <= 365) AttemptWindowDays = d;
            else problems.Add("OUTBOUND_ATTEMPT_WINDOW_DAYS must be between 1 and 365.");
        }
        if (config["OUTBOUND_QUIET_DAYS"] is { } quiet)
        {
            QuietDays = [];
            foreach (var name in quiet.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (Enum.TryParse<DayOfWeek>(name, ignoreCase: true, out var day) && Enum.IsDefined(day) && !char.IsDigit(name[0])) QuietDays.Add(day);
                else problems.Add($"OUTBOUND_QUIET_DAYS: '{name}' is not a weekday name.");
            }
        }
        if (config["OUTBOUND_HOLIDAYS"] is { } holidays)
        {
            Holidays = [];
            foreach (var entry in holidays.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (entry.Equals("none", StringComparison.OrdinalIgnoreCase)) continue;
                if (UsHolidays.IsValid(entry)) Holidays.Add(entry.ToLowerInvariant());
                else problems.Add($"OUTBOUND_HOLIDAYS: '{entry}' is neither a known holiday ({string.Join(", ", UsHolidays.Names)}) nor MM-DD / YYYY-MM-DD.");
            }
        }
        if (config["DNC_REGISTRY_POLL_SECONDS"] is { Length: > 0 } poll)
        {
            if (int.TryParse(poll, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= 3600) RegistryPollSeconds = p;
            else problems.Add("DNC_REGISTRY_POLL_SECONDS must be between 1 and 3600.");
        }
    }

    public static (TimeOnly Start, TimeOnly End)? ParseHours(string value)
    {
        var parts = value.Split('-', StringSplitOptions.TrimEntries);
        return parts.Length == 2
            && TimeOnly.TryParseExact(parts[0], ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            && TimeOnly.TryParseExact(parts[1], ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
            && start < end
                ? (start, end)
                : null;
    }

    /// <summary>Never earlier than 08:00 nor later than 21:00, whatever was configured.</summary>
    public static (TimeOnly Start, TimeOnly End) Clamp(TimeOnly start, TimeOnly end)
    {
        var s = start < EarliestAllowed ? EarliestAllowed : start > LatestAllowed ? LatestAllowed : start;
        var e = end > LatestAllowed ? LatestAllowed : end < EarliestAllowed ? EarliestAllowed : end;
        return (s, e);
    }
}
