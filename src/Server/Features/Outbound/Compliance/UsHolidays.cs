using System.Globalization;

namespace EstateVoice.Server.Features.Outbound.Compliance;

/// <summary>
/// The days no dial goes out, computed per year in the lead's local calendar: by default the US federal holidays a
/// person is most likely at home with family (New Year's Day, Memorial Day, Independence Day, Labor Day,
/// Thanksgiving, Christmas Day). Fixed dates (MM-DD every year, YYYY-MM-DD once) can be added.
/// </summary>
public static class UsHolidays
{
    public static readonly string[] Defaults = ["new_year", "memorial_day", "independence_day", "labor_day", "thanksgiving", "christmas"];

    private static readonly Dictionary<string, Func<int, DateOnly>> Named = new(StringComparer.OrdinalIgnoreCase)
    {
        ["new_year"] = y => new DateOnly(y, 1, 1),
        ["martin_luther_king_day"] = y => Nth(y, 1, DayOfWeek.Monday, 3),
        ["presidents_day"] = y => Nth(y, 2, DayOfWeek.Monday, 3),
        ["memorial_day"] = y => Last(y, 5, DayOfWeek.Monday),
        ["juneteenth"] = y => new DateOnly(y, 6, 19),
        ["independence_day"] = y => new DateOnly(y, 7, 4),
        ["labor_day"] = y => Nth(y, 9, DayOfWeek.Monday, 1),
        ["columbus_day"] = y => Nth(y, 10, DayOfWeek.Monday, 2),
        ["veterans_day"] = y => new DateOnly(y, 11, 11),
        ["thanksgiving"] = y => Nth(y, 11, DayOfWeek.Thursday, 4),
        ["christmas_eve"] = y => new DateOnly(y, 12, 24),
        ["christmas"] = y => new DateOnly(y, 12, 25),
        ["new_years_eve"] = y => new DateOnly(y, 12, 31),
    };

    public static IEnumerable<string> Names => Named.Keys;

    public static bool IsValid(string entry) => Named.ContainsKey(entry) || ParseFixed(entry) is not null;

    /// <summary>True when <paramref name="day"/> is one of <paramref name="holidays"/> in its own year.</summary>
    public static bool IsHoliday(DateOnly day, IReadOnlyList<string> holidays)
    {
        foreach (var entry in holidays)
        {
            if (Named.TryGetValue(entry, out var of))
            {
                if (of(day.Year) == day) return true;
            }
            else if (ParseFixed(entry) is { } fixedDay && fixedDay.Month == day.Month && fixedDay.Day == day.Day && (fixedDay.Year == 0 || fixedDay.Year == day.Year))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>MM-DD (Year 0 = every year) or YYYY-MM-DD.</summary>
    private static (int Year, int Month, int Day)? ParseFixed(string entry)
    {
        if (DateOnly.TryParseExact(entry, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var once)) return (once.Year, once.Month, once.Day);
        // 2024 is a leap year, so 02-29 is accepted as an every-year date (it matches in leap years only).
        if (DateOnly.TryParseExact("2024-" + entry, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var yearly)) return (0, yearly.Month, yearly.Day);
        return null;
    }

    private static DateOnly Nth(int year, int month, DayOfWeek weekday, int n)
    {
        var first = new DateOnly(year, month, 1);
        return first.AddDays(((int)weekday - (int)first.DayOfWeek + 7) % 7 + 7 * (n - 1));
    }

    private static DateOnly Last(int year, int month, DayOfWeek weekday)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        return last.AddDays(-(((int)last.DayOfWeek - (int)weekday + 7) % 7));
    }
}
