namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

public enum OutcomeKind { Processed, Ignored, Retryable, Permanent }

/// <summary>How one attempt at an event went. Retryable failures come back later; permanent ones wait for an Admin.</summary>
/// <param name="AudioStoredAs">Set when the event's audio landed in storage: what replaces the base64 in the logged payload.</param>
public sealed record ProcessingOutcome(OutcomeKind Kind, string? Error = null, string? AudioStoredAs = null)
{
    public static ProcessingOutcome Processed(string? audioStoredAs = null) => new(OutcomeKind.Processed, null, audioStoredAs);
    public static ProcessingOutcome Ignored(string reason) => new(OutcomeKind.Ignored, reason);
    public static ProcessingOutcome Retryable(string error) => new(OutcomeKind.Retryable, error);
    public static ProcessingOutcome Permanent(string error) => new(OutcomeKind.Permanent, error);
}

/// <summary>Why an audio recording could not be fetched; permanent when trying again cannot help (404, too big).</summary>
public sealed class AudioUnavailableException(string message, bool permanent, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;
}
