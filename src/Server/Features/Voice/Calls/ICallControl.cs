namespace EstateVoice.Server.Features.Voice.Calls;

/// <summary>Actions on the live phone call outside the media stream (Twilio REST: redirect to a &lt;Dial&gt;).</summary>
public interface ICallControl
{
    /// <summary>Redirects the call to a person (the assigned agent's phone or the office). False when it could not.</summary>
    Task<bool> TransferAsync(VoiceCall call, string reason, CancellationToken cancellationToken);
}

/// <summary>Until the Twilio REST client is wired in: no redirect; the session ends the stream (which ends the call).</summary>
internal sealed class NoCallControl(ILogger<NoCallControl> logger) : ICallControl
{
    public Task<bool> TransferAsync(VoiceCall call, string reason, CancellationToken cancellationToken)
    {
        logger.LogWarning("Transfer of call {CallId} requested ({Reason}) but no telephony control is configured", call.Id, reason);
        return Task.FromResult(false);
    }
}
