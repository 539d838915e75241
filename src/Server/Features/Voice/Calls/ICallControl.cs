namespace EstateVoice.Server.Features.Voice.Calls;

/// <summary>Actions on the live phone call outside the media stream (Twilio REST: redirect to a &lt;Dial&gt;).</summary>
public interface ICallControl
{
    /// <summary>Asks the phone network to connect the caller to a person. Accepted means Twilio took the redirect
    /// (our media stream stops next); the dial's own outcome comes later through the Dial action (a failed dial
    /// re-opens the call on a new stream with <c>resume=transfer_failed</c>).</summary>
    Task<TransferResult> TransferAsync(VoiceCall call, string reason, string? whisper, CancellationToken cancellationToken);
}

/// <param name="Whisper">Warm transfer: one sentence the person hears before being connected; null = cold transfer.</param>
public sealed record TransferResult(bool Accepted, string? FailureReason)
{
    public static TransferResult Refused(string reason) => new(false, reason);
    public static readonly TransferResult Dialing = new(true, null);
}

/// <summary>Until the Twilio REST client is wired in: every transfer is refused, so the agent carries on and takes a message.</summary>
internal sealed class NoCallControl(ILogger<NoCallControl> logger) : ICallControl
{
    public Task<TransferResult> TransferAsync(VoiceCall call, string reason, string? whisper, CancellationToken cancellationToken)
    {
        logger.LogWarning("Transfer of call {CallId} requested ({Reason}) but no telephony control is configured", call.Id, reason);
        return Task.FromResult(TransferResult.Refused("no telephony configured"));
    }
}
