using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Showings;

/// <summary>POST /showings/{id}/status body: confirmed, completed, no_show or canceled.</summary>
public sealed record ChangeShowingStatusRequest([property: Required] string? Status);

/// <summary>POST /showings/{id}/reschedule body; the length stays unless <c>duration_minutes</c> says otherwise.</summary>
public sealed record RescheduleShowingRequest([property: Required] DateTimeOffset? StartsAt, [property: Range(15, 480)] int? DurationMinutes);

/// <summary>A showing's moves after booking (<see cref="ShowingLifecycle"/>) and its calendar invite.</summary>
public static class ShowingLifecycleApi
{
    public static RouteGroupBuilder MapShowingLifecycle(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:int}/status", async Task<Results<Ok<ShowingResponse>, ProblemHttpResult>> (
            int id, ChangeShowingStatusRequest request, ClaimsPrincipal user, AppDbContext db, TimeProvider time, ShowingInviteMail inviteMail, CancellationToken ct) =>
        {
            var errors = new QueryErrors();
            if (errors.Enum<ShowingStatus>("status", request.Status) is not { } to || errors.Any)
                return ProblemResults.Invalid("status", $"status must be one of: {string.Join(", ", Enum.GetValues<ShowingStatus>().Select(SnakeCaseEnum.Name))}.");
            return await MoveAsync(db, user, id, to, time, inviteMail, ct);
        });

        group.MapPost("/{id:int}/cancel", async Task<Results<Ok<ShowingResponse>, ProblemHttpResult>> (
            int id, ClaimsPrincipal user, AppDbContext db, TimeProvider time, ShowingInviteMail inviteMail, CancellationToken ct) =>
            await MoveAsync(db, user, id, ShowingStatus.Canceled, time, inviteMail, ct));

        group.MapPost("/{id:int}/restore", async Task<Results<Ok<ShowingResponse>, ProblemHttpResult>> (
            int id, ClaimsPrincipal user, AppDbContext db, ShowingBooking booking, CancellationToken ct) =>
        {
            var showing = await db.Showings.VisibleTo(user).SingleOrDefaultAsync(s => s.Id == id, ct);
            if (showing is null) return Problems.NotFound("Showing");
            if (showing.Status != ShowingStatus.Canceled)
                return Problems.Conflict($"The showing is {SnakeCaseEnum.Name(showing.Status)}; only a canceled showing can be restored.");
            return await AnswerAsync(db, user, id, await booking.RestoreAsync(showing, ct), ct);
        });

        group.MapPost("/{id:int}/reschedule", async Task<Results<Ok<ShowingResponse>, ProblemHttpResult>> (
            int id, RescheduleShowingRequest request, ClaimsPrincipal user, AppDbContext db, ShowingBooking booking, CancellationToken ct) =>
        {
            var showing = await db.Showings.VisibleTo(user).SingleOrDefaultAsync(s => s.Id == id, ct);
            if (showing is null) return Problems.NotFound("Showing");
            if (!ShowingLifecycle.IsActive(showing.Status))
                return Problems.Conflict($"The showing is {SnakeCaseEnum.Name(showing.Status)}; only an upcoming showing can be rescheduled.");
            var length = request.DurationMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : showing.EndsAt - showing.StartsAt;
            return await AnswerAsync(db, user, id, await booking.RescheduleAsync(showing, request.StartsAt!.Value, length, ct), ct);
        });

        group.MapGet("/{id:int}/invite.ics", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (
            int id, ClaimsPrincipal user, AppDbContext db, ShowingInvites invites, CancellationToken ct) =>
        {
            if (!await db.Showings.VisibleTo(user).AnyAsync(s => s.Id == id, ct)) return Problems.NotFound("Showing");
            var invite = await invites.BuildAsync(id, ct);
            return invite is null ? Problems.NotFound("Showing") : TypedResults.File(invite.Content, ShowingInvite.ContentType, invite.FileName);
        });

        return group;
    }

    private static async Task<Results<Ok<ShowingResponse>, ProblemHttpResult>> MoveAsync(
        AppDbContext db, ClaimsPrincipal user, int id, ShowingStatus to, TimeProvider time, ShowingInviteMail inviteMail, CancellationToken ct)
    {
        var showing = await db.Showings.VisibleTo(user).SingleOrDefaultAsync(s => s.Id == id, ct);
        if (showing is null) return Problems.NotFound("Showing");
        if (showing.Status == to) return TypedResults.Ok((await ShowingsApi.FindAsync(db, user, id, ct))!); // a repeated request
        var now = time.GetUtcNow();
        if (ShowingLifecycle.Check(showing.Status, to, showing.StartsAt, now) is { } refused)
            return TypedResults.Problem(refused.Message, statusCode: refused.StatusCode, title: refused.StatusCode == 409 ? "Conflict" : "Unprocessable");
        if (to == ShowingStatus.Canceled)
        {
            showing.StatusBeforeCancel = showing.Status; // what a restore (the Undo) returns to
            showing.CanceledAt = now;
            showing.Sequence++;
        }
        showing.Status = to;
        showing.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        // Calendars holding the invite drop the event (METHOD:CANCEL, same UID, higher SEQUENCE).
        if (to == ShowingStatus.Canceled) await inviteMail.SendAsync(id, InviteChange.Canceled, toAgent: true, ct);
        return TypedResults.Ok((await ShowingsApi.FindAsync(db, user, id, ct))!);
    }

    private static async Task<Results<Ok<ShowingResponse>, ProblemHttpResult>> AnswerAsync(
        AppDbContext db, ClaimsPrincipal user, int id, BookingResult result, CancellationToken ct) => result switch
        {
            BookingResult.Booked => TypedResults.Ok((await ShowingsApi.FindAsync(db, user, id, ct))!),
            BookingResult.Invalid invalid => ProblemResults.Invalid(invalid.Field, invalid.Message),
            BookingResult.Conflict conflict => Problems.Conflict(conflict.Message),
            _ => throw new InvalidOperationException("Unknown booking result."),
        };
}
