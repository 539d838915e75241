using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Telephony;

/// <summary>Acts on a live call from the voice loop (the agent's <c>transfer_to_human</c> and <c>end_call</c> tools).</summary>
public interface ITwilioCallControl
{
    /// <summary>Redirects the live call to a <c>&lt;Dial&gt;</c> to <paramref name="number"/>; Twilio then ends our media stream.</summary>
    Task TransferAsync(string callSid, string number, CancellationToken cancellationToken);

    /// <summary>Hangs up the live call.</summary>
    Task HangUpAsync(string callSid, CancellationToken cancellationToken);
}

public sealed class TwilioCallControl(TwilioRestClient twilio, IOptions<TwilioOptions> options, ILogger<TwilioCallControl> logger) : ITwilioCallControl
{
    public async Task TransferAsync(string callSid, string number, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(number);
        logger.LogInformation("Transferring call {CallSid} to a human", callSid);
        var twiml = TwiML.Dial(number, options.Value.TransferRingSeconds);
        await twilio.UpdateCallAsync(callSid, [new("Twiml", twiml)], cancellationToken);
    }

    public async Task HangUpAsync(string callSid, CancellationToken cancellationToken)
    {
        logger.LogInformation("Hanging up call {CallSid}", callSid);
        await twilio.UpdateCallAsync(callSid, [new("Status", "completed")], cancellationToken);
    }
}
