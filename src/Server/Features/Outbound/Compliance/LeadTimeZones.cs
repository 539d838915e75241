using System.Collections.Concurrent;
using EstateVoice.Server.Features.Leads;
using PhoneNumbers;

namespace EstateVoice.Server.Features.Outbound.Compliance;

/// <summary>
/// The time zones a lead could be in: the lead's own IANA zone when set, else the zones libphonenumber's
/// <see cref="PhoneNumberToTimeZonesMapper"/> gives for the number (one for most US area codes, several for some
/// and for non-geographic or unknown numbers). A number nothing is known about could be anywhere in the US, so it
/// gets every US zone and the gate calls only when it is inside the window in all of them.
/// </summary>
public static class LeadTimeZones
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();
    private static readonly PhoneNumberToTimeZonesMapper Mapper = PhoneNumberToTimeZonesMapper.GetInstance();

    /// <summary>Every US zone a number without a known place could ring in, east to west.</summary>
    public static readonly IReadOnlyList<TimeZoneInfo> AnywhereInTheUs = Zones(
        ["America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu"]);

    // Keyed by "+1" + area code for NANP numbers (all numbers of an area code map alike), else the whole number.
    private static readonly ConcurrentDictionary<string, IReadOnlyList<TimeZoneInfo>> ByPrefix = new(StringComparer.Ordinal);

    public static IReadOnlyList<TimeZoneInfo> For(Lead lead) =>
        !string.IsNullOrWhiteSpace(lead.TimeZone) && TimeZoneInfo.TryFindSystemTimeZoneById(lead.TimeZone, out var own) ? [own] : ForNumber(lead.Phone);

    public static IReadOnlyList<TimeZoneInfo> ForNumber(string? e164)
    {
        if (string.IsNullOrEmpty(e164)) return AnywhereInTheUs;
        var key = e164.StartsWith("+1", StringComparison.Ordinal) && e164.Length == 12 ? e164[..5] : e164;
        if (ByPrefix.TryGetValue(key, out var known)) return known;
        // Only a valid number speaks for its area code: an invalid one (a 0xx exchange) gets "anywhere" for itself but
        // is not cached, or the whole area code stayed "anywhere in the US" until a restart and every lead there was
        // held to the narrowest window across the country.
        return IsValid(e164) ? ByPrefix.GetOrAdd(key, _ => Lookup(e164)) : Lookup(e164);
    }

    private static bool IsValid(string e164)
    {
        try
        {
            return Util.IsValidNumber(Util.Parse(e164, "US"));
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    private static IReadOnlyList<TimeZoneInfo> Lookup(string e164)
    {
        try
        {
            var number = Util.Parse(e164, "US");
            var zones = Zones(Mapper.GetTimeZonesForNumber(number).Where(id => id != Mapper.GetUnknownTimeZone()));
            return zones.Count > 0 ? zones : AnywhereInTheUs;
        }
        catch (NumberParseException)
        {
            return AnywhereInTheUs;
        }
    }

    private static List<TimeZoneInfo> Zones(IEnumerable<string> ids) =>
        [.. ids.Select(id => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null).OfType<TimeZoneInfo>().DistinctBy(z => z.Id)];
}
