using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Showings;

/// <summary>One working day: <c>{"day": "monday", "starts": "09:00", "ends": "17:00"}</c>, agency-local times.</summary>
public sealed record WorkingDay(string Day, string Starts, string Ends);

/// <summary>PUT /agents/{id}/working-hours body: the whole week (a day left out is a day off; none at all = not set).</summary>
public sealed record SetWorkingHoursRequest([property: Required, MaxLength(7)] WorkingDay?[]? Days);

public sealed record WorkingHoursResponse(int AgentId, string TimeZone, IReadOnlyList<WorkingDay> Days);

public sealed record AgentCalendarResponse(int AgentId, string AgentName, string TimeZone, IReadOnlyList<WorkingDay> WorkingHours, IReadOnlyList<ShowingResponse> Showings);

/// <summary>
/// An agent's week and calendar. Managers and Admins see and set anyone's; an Agent only their own (another agent's
/// answers 403).
/// </summary>
public static class AgentCalendarApi
{
    public static IEndpointRouteBuilder MapAgentCalendarApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/agents/{id:int}").WithTags("Showings");

        group.MapGet("/working-hours", async Task<Results<Ok<WorkingHoursResponse>, ProblemHttpResult>> (
            int id, ClaimsPrincipal user, AppDbContext db, AgentAvailability availability, CancellationToken ct) =>
        {
            if (await CheckAccessAsync(db, user, id, ct) is { } refused) return refused;
            return TypedResults.Ok(new WorkingHoursResponse(id, availability.Zone.Id, await DaysAsync(db, id, ct)));
        });

        group.MapPut("/working-hours", async Task<Results<Ok<WorkingHoursResponse>, ProblemHttpResult, ValidationProblem>> (
            int id, SetWorkingHoursRequest request, ClaimsPrincipal user, AppDbContext db, AgentAvailability availability, CancellationToken ct) =>
        {
            if (await CheckAccessAsync(db, user, id, ct) is { } refused) return refused;
            var errors = new QueryErrors();
            var rows = new List<WorkingHours>();
            foreach (var (day, i) in request.Days!.Select((d, i) => (d, i)))
            {
                if (day is null)
                {
                    errors.Add($"days[{i}]", "Each day is an object: {\"day\": \"monday\", \"starts\": \"09:00\", \"ends\": \"17:00\"}.");
                    continue;
                }
                var weekday = errors.Enum<DayOfWeek>($"days[{i}].day", day.Day);
                var starts = ParseTime(errors, $"days[{i}].starts", day.Starts);
                var ends = ParseTime(errors, $"days[{i}].ends", day.Ends);
                if (starts >= ends) errors.Add($"days[{i}].ends", "ends must be after starts.");
                if (weekday is { } w && rows.Any(r => r.Day == w)) errors.Add($"days[{i}].day", "Each day may appear once.");
                if (weekday is { } wd && starts is { } s && ends is { } e) rows.Add(new WorkingHours { UserId = id, Day = wd, Starts = s, Ends = e });
            }
            if (errors.Any) return errors.ToProblem();
            await db.WorkingHours.Where(h => h.UserId == id).ExecuteDeleteAsync(ct);
            db.WorkingHours.AddRange(rows);
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(new WorkingHoursResponse(id, availability.Zone.Id, await DaysAsync(db, id, ct)));
        });

        group.MapGet("/calendar", async Task<Results<Ok<AgentCalendarResponse>, ProblemHttpResult, ValidationProblem>> (
            int id, [FromQuery] string? from, [FromQuery] string? to, ClaimsPrincipal user, AppDbContext db, AgentAvailability availability, CancellationToken ct) =>
        {
            if (await CheckAccessAsync(db, user, id, ct) is { } refused) return refused;
            var errors = new QueryErrors();
            var start = errors.Time("from", from);
            var end = errors.EndTime("to", to);
            if (start is null && !errors.Any) errors.Add("from", "from is required.");
            if (end is null && !errors.Any) errors.Add("to", "to is required.");
            if (start > end) errors.Add("to", "to must not be before from.");
            if (end - start > TimeSpan.FromDays(62)) errors.Add("to", "A calendar spans at most 62 days.");
            if (errors.Any) return errors.ToProblem();
            var name = await db.Users.Where(u => u.Id == id).Select(u => u.Name).SingleAsync(ct);
            var showings = await db.Showings.AsNoTracking().Where(s => s.AgentId == id && s.StartsAt < end && s.EndsAt > start)
                .OrderBy(s => s.StartsAt).ThenBy(s => s.Id).Select(ShowingResponse.Projection).ToListAsync(ct);
            return TypedResults.Ok(new AgentCalendarResponse(id, name, availability.Zone.Id, await DaysAsync(db, id, ct), showings));
        });

        return app;
    }

    private static async Task<ProblemHttpResult?> CheckAccessAsync(AppDbContext db, ClaimsPrincipal user, int agentId, CancellationToken ct)
    {
        if (!user.SeesEverything() && user.GetUserId() != agentId) return ProblemResults.Forbidden("Agents see and set only their own calendar.");
        return await db.Users.AnyAsync(u => u.Id == agentId && u.IsActive, ct) ? null : Problems.NotFound("Agent");
    }

    private static async Task<IReadOnlyList<WorkingDay>> DaysAsync(AppDbContext db, int agentId, CancellationToken ct)
    {
        var rows = await db.WorkingHours.AsNoTracking().Where(h => h.UserId == agentId).ToListAsync(ct);
        // Monday first, as agencies write a week.
        return [.. rows.OrderBy(h => ((int)h.Day + 6) % 7).Select(h =>
            new WorkingDay(SnakeCaseEnum.Name(h.Day), h.Starts.ToString("HH:mm", CultureInfo.InvariantCulture), h.Ends.ToString("HH:mm", CultureInfo.InvariantCulture)))];
    }

    private static TimeOnly? ParseTime(QueryErrors errors, string field, string? value)
    {
        if (TimeOnly.TryParseExact(value?.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) return t;
        errors.Add(field, "Expected a time as HH:mm, e.g. 09:00.");
        return null;
    }
}
