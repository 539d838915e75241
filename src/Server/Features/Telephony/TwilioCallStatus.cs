using EstateVoice.Server.Features.Calls;

namespace EstateVoice.Server.Features.Telephony;

/// <summary>Twilio's <c>CallStatus</c> strings and the order a call moves through them.</summary>
public static class TwilioCallStatus
{
    public static CallStatus? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "queued" or "initiated" => CallStatus.Queued,
        "ringing" => CallStatus.Ringing,
        "in-progress" or "answered" => CallStatus.InProgress,
        "completed" => CallStatus.Completed,
        "busy" => CallStatus.Busy,
        "failed" => CallStatus.Failed,
        "no-answer" => CallStatus.NoAnswer,
        "canceled" => CallStatus.Canceled,
        _ => null,
    };

    public static bool IsTerminal(CallStatus status) =>
        status is CallStatus.Completed or CallStatus.Busy or CallStatus.Failed or CallStatus.NoAnswer or CallStatus.Canceled;

    /// <summary>
    /// Status callbacks can arrive out of order; a call only moves forward (a late <c>ringing</c> never overwrites
    /// <c>completed</c>), and once terminal it stays as it is.
    /// </summary>
    public static bool CanMove(CallStatus from, CallStatus to) => Rank(to) > Rank(from);

    private static int Rank(CallStatus status) => status switch
    {
        CallStatus.Queued => 0,
        CallStatus.Ringing => 1,
        CallStatus.InProgress => 2,
        _ => 3,
    };

    public static CallDirection ParseDirection(string? direction) =>
        direction?.StartsWith("outbound", StringComparison.OrdinalIgnoreCase) == true ? CallDirection.Outbound : CallDirection.Inbound;
}
