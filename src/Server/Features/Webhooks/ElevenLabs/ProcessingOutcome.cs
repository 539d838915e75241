namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

public enum OutcomeKind { Processed, Ignored, Retryable, Permanent }

/// <summary>How one attempt at an event went. Retryable failures come back later; permanent ones wait for an Admin.</summary>
/// <param name="AudioStoredAs">Set when the event's audio landed in storage: what replaces the base64 in the logged payload.</param>
public sealed record ProcessingOutcome(OutcomeKind Kind, string? Error = null, string? AudioStoredAs = null)
{
    /// <summary>
    /// What the webhook reply may say about the failure. <see cref="Error"/> (kept in the event log for Admins) can
    /// quote what an outside server answered; echoing that to the sender would turn audio_url into a probe.
    /// </summary>
    public string? ReplyError { get; init; }

    public static ProcessingOutcome Processed(string? audioStoredAs = null) => new(OutcomeKind.Processed, null, audioStoredAs);
    public static ProcessingOutcome Ignored(string reason) => new(OutcomeKind.Ignored, reason);
    public static ProcessingOutcome Retryable(string error) => new(OutcomeKind.Retryable, error);
    public static ProcessingOutcome Permanent(string error, string? replyError = null) => new(OutcomeKind.Permanent, error) { ReplyError = replyError ?? error };
}

/// <summary>Why an audio recording could not be fetched; permanent when trying again cannot help (404, too big).</summary>
public sealed class AudioUnavailableException(string message, bool permanent, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>All the webhook reply says about any download failure: the details stay in the event log.</summary>
    public const string ReplyError = "the audio could not be fetched; the event is kept in the event log";

    public bool Permanent { get; } = permanent;
}
