using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Showings;

/// <summary>
/// When an agent can show a property: inside their working hours (in the agency's time zone, the one the voice agent
/// books in) and away from their other showings and the property's.
/// </summary>
public sealed class AgentAvailability(AppDbContext db, TimeProvider time, IOptions<VoiceOptions> voice)
{
    /// <summary>Hours offered on days of an agent who has not set any.</summary>
    private static readonly (TimeOnly Starts, TimeOnly Ends) DefaultDay = (new TimeOnly(9, 0), new TimeOnly(18, 0));

    public TimeZoneInfo Zone
    {
        get
        {
            try { return TimeZoneInfo.FindSystemTimeZoneById(voice.Value.TimeZone); }
            catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException) { return TimeZoneInfo.Utc; }
        }
    }

    /// <summary>True when the agent works for the whole of [start, end) or has set no hours at all.</summary>
    public async Task<bool> WorksAsync(int agentId, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        var hours = await db.WorkingHours.AsNoTracking().Where(h => h.UserId == agentId).ToListAsync(ct);
        return hours.Count == 0 || Covers(hours, start, end);
    }

    private bool Covers(List<WorkingHours> hours, DateTimeOffset start, DateTimeOffset end)
    {
        var localStart = TimeZoneInfo.ConvertTime(start, Zone);
        var localEnd = TimeZoneInfo.ConvertTime(end, Zone);
        var day = hours.FirstOrDefault(h => h.Day == localStart.DayOfWeek);
        if (day is null) return false;
        var endTime = localEnd.Date == localStart.Date ? TimeOnly.FromDateTime(localEnd.DateTime)
            : localEnd.Date == localStart.Date.AddDays(1) && localEnd.TimeOfDay == TimeSpan.Zero ? TimeOnly.MaxValue : (TimeOnly?)null;
        return endTime is { } e && TimeOnly.FromDateTime(localStart.DateTime) >= day.Starts && e <= day.Ends;
    }

    /// <summary>
    /// Every free start in [<paramref name="from"/>, <paramref name="to"/>): <see cref="FreeSlotsAsync"/> for each
    /// agency-local day the range touches (the rule the voice agent offers times by, in one place).
    /// </summary>
    public async Task<IReadOnlyList<DateTimeOffset>> FreeSlotsBetweenAsync(
        int agentId, int propertyId, DateTimeOffset from, DateTimeOffset to, TimeSpan length, CancellationToken ct)
    {
        var zone = Zone;
        var free = new List<DateTimeOffset>();
        var lastDay = TimeZoneInfo.ConvertTime(to, zone).Date;
        for (var day = TimeZoneInfo.ConvertTime(from, zone).Date; day <= lastDay; day = day.AddDays(1))
        {
            var noon = day.AddHours(12);
            var starts = await FreeSlotsAsync(agentId, propertyId, new DateTimeOffset(noon, zone.GetUtcOffset(noon)), length, 24, ct);
            free.AddRange(starts.Where(t => t >= from && t < to));
        }
        return free;
    }

    /// <summary>
    /// Up to <paramref name="count"/> free starts of <paramref name="length"/> on the agency-local day of
    /// <paramref name="around"/> (on the hour, after now), the agent and the property both free.
    /// </summary>
    public async Task<IReadOnlyList<DateTimeOffset>> FreeSlotsAsync(
        int agentId, int propertyId, DateTimeOffset around, TimeSpan length, int count, CancellationToken ct)
    {
        var zone = Zone;
        var localDay = TimeZoneInfo.ConvertTime(around, zone).Date;
        var hours = await db.WorkingHours.AsNoTracking().Where(h => h.UserId == agentId).ToListAsync(ct);
        (TimeOnly Starts, TimeOnly Ends) day;
        if (hours.Count == 0) day = DefaultDay;
        else if (hours.FirstOrDefault(h => h.Day == localDay.DayOfWeek) is { } set) day = (set.Starts, set.Ends);
        else return [];

        var dayStart = new DateTimeOffset(localDay, zone.GetUtcOffset(localDay)).ToUniversalTime();
        var dayEnd = dayStart.AddDays(1);
        var busy = await db.Showings.AsNoTracking()
            .Where(s => ShowingLifecycle.Active.Contains(s.Status) && (s.AgentId == agentId || s.PropertyId == propertyId)
                        && s.StartsAt < dayEnd && s.EndsAt > dayStart)
            .Select(s => new { s.StartsAt, s.EndsAt }).ToListAsync(ct);
        var now = time.GetUtcNow();
        var free = new List<DateTimeOffset>();
        for (var t = day.Starts; t.Add(length) <= day.Ends && t.Add(length) > t && free.Count < count; t = t.AddHours(1))
        {
            var local = localDay + t.ToTimeSpan();
            var start = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
            var end = start + length;
            if (start > now && !busy.Any(b => b.StartsAt < end && b.EndsAt > start)) free.Add(start);
            if (t.Hour == 23) break;
        }
        return free;
    }
}
