using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Showings;

/// <summary><c>GET /showings/free-slots</c> query: the agent and property to show, the range, the showing's length.</summary>
public sealed class FreeSlotsQuery
{
    [FromQuery(Name = "property_id")] public int? PropertyId { get; set; }
    [FromQuery(Name = "agent_id")] public int? AgentId { get; set; }
    [FromQuery(Name = "from")] public string? From { get; set; }
    [FromQuery(Name = "to")] public string? To { get; set; }
    [FromQuery(Name = "duration_minutes")] public int? DurationMinutes { get; set; }
}

public sealed record FreeSlot(DateTimeOffset StartsAt, DateTimeOffset EndsAt);

public sealed record FreeSlotsResponse(int AgentId, int PropertyId, string TimeZone, int DurationMinutes, IReadOnlyList<FreeSlot> Slots);

/// <summary>
/// The times a showing could be booked: the same starts the voice agent offers a caller (<see cref="AgentAvailability"/>),
/// for the web app's booking and reschedule forms. Open to every staff role, as booking is.
/// </summary>
public static class FreeSlotsApi
{
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(14);

    public static RouteGroupBuilder MapFreeSlots(this RouteGroupBuilder group)
    {
        group.MapGet("/free-slots", async Task<Results<Ok<FreeSlotsResponse>, ProblemHttpResult, ValidationProblem>> (
            [AsParameters] FreeSlotsQuery query, AppDbContext db, AgentAvailability availability, CancellationToken ct) =>
        {
            var errors = new QueryErrors();
            if (query.PropertyId is null) errors.Add("property_id", "property_id is required.");
            if (query.AgentId is null) errors.Add("agent_id", "agent_id is required.");
            var from = errors.Time("from", query.From);
            var to = errors.EndTime("to", query.To);
            if (from is null && query.From is null) errors.Add("from", "from is required.");
            if (to is null && query.To is null) errors.Add("to", "to is required.");
            if (from > to) errors.Add("to", "to must not be before from.");
            else if (to - from > MaxRange) errors.Add("to", $"A search spans at most {MaxRange.TotalDays:0} days.");
            var minutes = query.DurationMinutes ?? (int)ShowingBooking.DefaultLength.TotalMinutes;
            if (minutes is < 15 or > 480) errors.Add("duration_minutes", "duration_minutes must be between 15 and 480.");
            if (errors.Any) return errors.ToProblem();

            if (!await db.Properties.AnyAsync(p => p.Id == query.PropertyId, ct)) return Problems.NotFound("Property");
            if (!await db.Users.AnyAsync(u => u.Id == query.AgentId && u.IsActive, ct)) return Problems.NotFound("Agent");
            var length = TimeSpan.FromMinutes(minutes);
            var starts = await availability.FreeSlotsBetweenAsync(query.AgentId!.Value, query.PropertyId!.Value, from!.Value, to!.Value, length, ct);
            return TypedResults.Ok(new FreeSlotsResponse(query.AgentId.Value, query.PropertyId.Value, availability.Zone.Id, minutes,
                [.. starts.Select(s => new FreeSlot(s, s + length))]));
        });
        return group;
    }
}
