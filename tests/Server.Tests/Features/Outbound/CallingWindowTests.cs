using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Outbound.Compliance;
using Microsoft.Extensions.Configuration;

namespace EstateVoice.Server.Tests.Features.Outbound;

public sealed class CallingWindowTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly DialComplianceOptions Defaults = new();

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Spring_forward_day_opens_at_nine_local_which_is_an_hour_earlier_in_utc()
    {
        // 2026-03-08: clocks go 02:00 EST -> 03:00 EDT. 09:00 EDT is 13:00 UTC (it was 14:00 UTC the day before).
        Assert.False(CallingWindow.IsOpen([NewYork], Utc(3, 8, 12, 59), Defaults));
        Assert.True(CallingWindow.IsOpen([NewYork], Utc(3, 8, 13, 0), Defaults));
        Assert.False(CallingWindow.IsOpen([NewYork], Utc(3, 7, 13, 30), Defaults));
        Assert.Equal(Utc(3, 8, 13, 0), CallingWindow.NextOpening([NewYork], Utc(3, 8, 6, 30), Defaults));
        // 20:00 EDT = 00:00 UTC the next day: still open at 23:59 UTC.
        Assert.True(CallingWindow.IsOpen([NewYork], Utc(3, 8, 23, 59), Defaults));
        Assert.False(CallingWindow.IsOpen([NewYork], Utc(3, 9, 0, 0), Defaults));
    }

    [Fact]
    public void Fall_back_day_opens_at_nine_standard_time()
    {
        // 2026-11-01: clocks go 02:00 EDT -> 01:00 EST. 09:00 EST is 14:00 UTC; at 13:30 UTC it is 08:30 there.
        var closed = CallingWindow.Check([NewYork], Utc(11, 1, 13, 30), Defaults);
        Assert.NotNull(closed);
        Assert.False(closed.QuietDay);
        Assert.Equal(Utc(11, 1, 14, 0), closed.NextOpening);
        Assert.Null(CallingWindow.Check([NewYork], Utc(11, 1, 14, 0), Defaults));
        // The ambiguous hour itself resolves to its first occurrence (EDT).
        Assert.Equal(Utc(11, 1, 5, 30), CallingWindow.AtLocal(new DateTime(2026, 11, 1, 1, 30, 0), NewYork));
        // A time skipped at spring-forward moves past the gap.
        Assert.Equal(Utc(3, 8, 7, 0), CallingWindow.AtLocal(new DateTime(2026, 3, 8, 2, 30, 0), NewYork));
    }

    [Fact]
    public void A_hawaii_number_is_refused_when_a_new_york_number_is_called_and_opens_at_nine_in_honolulu()
    {
        var now = Utc(11, 25, 15); // 10:00 in New York, 05:00 in Honolulu
        var newYork = LeadTimeZones.ForNumber("+12125550100");
        var hawaii = LeadTimeZones.ForNumber("+18085550100");
        Assert.Equal(["America/New_York"], newYork.Select(z => z.Id));
        Assert.Equal(["Pacific/Honolulu"], hawaii.Select(z => z.Id));
        Assert.Null(CallingWindow.Check(newYork, now, Defaults));
        Assert.Equal(Utc(11, 25, 19), CallingWindow.Check(hawaii, now, Defaults)?.NextOpening);
    }

    [Fact]
    public void A_lead_time_zone_wins_over_the_number()
    {
        var lead = new Lead { Name = "x", Phone = "+12125550100", TimeZone = "America/Los_Angeles" };
        Assert.Equal(["America/Los_Angeles"], LeadTimeZones.For(lead).Select(z => z.Id));
    }

    [Fact]
    public void An_area_codes_zone_does_not_depend_on_which_of_its_numbers_came_first()
    {
        // Alaska's 907, used by no other test (the answer is cached per area code for the process): an invalid
        // number (a 0xx exchange) first is "anywhere" itself but must not make every 907 number so.
        Assert.Same(LeadTimeZones.AnywhereInTheUs, LeadTimeZones.ForNumber("+19070001234"));
        Assert.Equal(["America/Juneau"], LeadTimeZones.ForNumber("+19072221234").Select(z => z.Id));
    }

    [Fact]
    public void An_unknown_zone_gets_the_narrowest_window_across_every_us_zone()
    {
        var zones = LeadTimeZones.ForNumber("+1555");
        Assert.True(zones.Count > 1);
        Assert.Same(LeadTimeZones.AnywhereInTheUs, zones);
        // Open only when it is 09:00-20:00 from Honolulu (09:00 HST = 19:00 UTC) to New York (20:00 EST = 01:00 UTC).
        Assert.False(CallingWindow.IsOpen(zones, Utc(11, 25, 18, 59), Defaults));
        Assert.True(CallingWindow.IsOpen(zones, Utc(11, 25, 19, 0), Defaults));
        Assert.True(CallingWindow.IsOpen(zones, Utc(11, 26, 0, 59), Defaults));
        Assert.False(CallingWindow.IsOpen(zones, Utc(11, 25, 1, 0), Defaults));
        Assert.Equal(Utc(11, 25, 19), CallingWindow.NextOpening(zones, Utc(11, 25, 15), Defaults));
    }

    [Fact]
    public void Configured_hours_are_clamped_to_eight_to_nine_and_bad_ones_are_reported()
    {
        var options = new DialComplianceOptions();
        var problems = new List<string>();
        options.Read(Config(("OUTBOUND_CALLING_HOURS", "06:30-23:00")), problems);
        Assert.Empty(problems);
        Assert.Equal((new TimeOnly(8, 0), new TimeOnly(21, 0)), (options.WindowStart, options.WindowEnd));
        Assert.False(CallingWindow.IsOpen([NewYork], Utc(11, 25, 12, 59), options)); // 07:59 EST
        Assert.True(CallingWindow.IsOpen([NewYork], Utc(11, 25, 13, 0), options));
        Assert.False(CallingWindow.IsOpen([NewYork], Utc(11, 26, 2, 0), options)); // 21:00 EST

        options.Read(Config(("OUTBOUND_CALLING_HOURS", "late"), ("OUTBOUND_MAX_ATTEMPTS", "0"), ("OUTBOUND_QUIET_DAYS", "funday"), ("OUTBOUND_HOLIDAYS", "festivus")), problems);
        Assert.Equal(4, problems.Count);
    }

    [Fact]
    public void Holidays_are_computed_per_year_and_quiet_days_skip_to_the_next_allowed_day()
    {
        Assert.True(UsHolidays.IsHoliday(new DateOnly(2026, 11, 26), UsHolidays.Defaults)); // Thanksgiving 2026
        Assert.True(UsHolidays.IsHoliday(new DateOnly(2027, 11, 25), UsHolidays.Defaults)); // Thanksgiving 2027
        Assert.False(UsHolidays.IsHoliday(new DateOnly(2027, 11, 26), UsHolidays.Defaults));
        Assert.True(UsHolidays.IsHoliday(new DateOnly(2026, 5, 25), UsHolidays.Defaults)); // Memorial Day
        Assert.True(UsHolidays.IsHoliday(new DateOnly(2026, 9, 7), UsHolidays.Defaults)); // Labor Day
        Assert.True(UsHolidays.IsHoliday(new DateOnly(2030, 12, 25), UsHolidays.Defaults));
        Assert.True(UsHolidays.IsHoliday(new DateOnly(2026, 8, 14), ["08-14"]));
        Assert.False(UsHolidays.IsHoliday(new DateOnly(2027, 8, 14), ["2026-08-14"]));

        // Thanksgiving 10:00 in New York: a quiet day; Friday 09:00 opens.
        var thanksgiving = CallingWindow.Check([NewYork], Utc(11, 26, 15), Defaults);
        Assert.Equal(new CallingWindow.Closed(true, Utc(11, 27, 14)), thanksgiving);

        // Christmas 2026 is a Friday; with weekends quiet the next opening is Monday the 28th.
        var weekends = new DialComplianceOptions { QuietDays = [DayOfWeek.Saturday, DayOfWeek.Sunday] };
        Assert.Equal(Utc(12, 28, 14), CallingWindow.Check([NewYork], Utc(12, 25, 15), weekends)?.NextOpening);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
