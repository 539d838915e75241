using EstateVoice.Server.Infrastructure.Http;

namespace EstateVoice.Server.Features.Showings;

/// <summary>
/// The moves a showing may make. Scheduled, confirmed and rescheduled showings hold their slot (<see cref="Active"/>);
/// completed and no-show are final; a cancellation can be taken back (restored) while the slot is still free.
/// </summary>
public static class ShowingLifecycle
{
    /// <summary>Statuses that hold the slot: the property and the agent are busy then.</summary>
    public static readonly ShowingStatus[] Active = [ShowingStatus.Scheduled, ShowingStatus.Confirmed, ShowingStatus.Rescheduled];

    public static bool IsActive(ShowingStatus status) => Array.IndexOf(Active, status) >= 0;

    /// <summary>Why a move is refused: 409 when the showing's state forbids it, 422 when it cannot happen yet.</summary>
    public sealed record Refusal(int StatusCode, string Message);

    /// <summary>Null when <paramref name="from"/> may become <paramref name="to"/> at <paramref name="now"/>.</summary>
    public static Refusal? Check(ShowingStatus from, ShowingStatus to, DateTimeOffset startsAt, DateTimeOffset now)
    {
        var fromName = SnakeCaseEnum.Name(from);
        if (from is ShowingStatus.Completed or ShowingStatus.NoShow)
            return new Refusal(StatusCodes.Status409Conflict, $"The showing is already {fromName}; it cannot change any more.");
        switch (to)
        {
            case ShowingStatus.Confirmed or ShowingStatus.Canceled when IsActive(from):
                return null;
            case ShowingStatus.Completed or ShowingStatus.NoShow when IsActive(from):
                return startsAt <= now ? null
                    : new Refusal(StatusCodes.Status422UnprocessableEntity, $"The showing has not started yet; it cannot be {SnakeCaseEnum.Name(to)} before {startsAt:u}.");
            case ShowingStatus.Scheduled or ShowingStatus.Rescheduled:
                return new Refusal(StatusCodes.Status422UnprocessableEntity,
                    to == ShowingStatus.Scheduled ? "Restore a canceled showing with POST /showings/{id}/restore." : "Move a showing with POST /showings/{id}/reschedule.");
            default:
                return new Refusal(StatusCodes.Status409Conflict, $"A {fromName} showing cannot become {SnakeCaseEnum.Name(to)}.");
        }
    }
}
