using EstateVoice.Server.Infrastructure.Configuration;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Telephony;

public enum TwilioSignatureResult { Valid, Invalid, ChecksOff }

/// <summary>
/// Decides whether a request really comes from Twilio: checks <c>X-Twilio-Signature</c> against the public URL
/// Twilio called (<see cref="TwilioPublicUrls"/>, never the request's own Host). Without an auth token the checks are
/// off in demo mode only; otherwise every request is refused (fail closed).
/// </summary>
public sealed class TwilioRequestValidator(IOptions<TwilioOptions> options, DemoOptions demo, TwilioPublicUrls urls)
{
    public bool ChecksEnabled => !string.IsNullOrEmpty(options.Value.AuthToken);

    /// <summary>Checks a form-encoded webhook (URL + sorted form parameters).</summary>
    public TwilioSignatureResult Check(HttpRequest request, IEnumerable<KeyValuePair<string, string>> form)
    {
        if (!ChecksEnabled) return demo.Enabled ? TwilioSignatureResult.ChecksOff : TwilioSignatureResult.Invalid;
        var valid = TwilioSignature.IsValid(options.Value.AuthToken!, urls.Of(request), form, request.Headers[TwilioSignature.Header]);
        return valid ? TwilioSignatureResult.Valid : TwilioSignatureResult.Invalid;
    }

    /// <summary>
    /// Checks the media-stream WebSocket upgrade. Twilio signs the stream URL with no parameters; which spelling
    /// (the <c>wss://</c> URL from the TwiML or its <c>https://</c> twin) is not documented, so both are accepted.
    /// </summary>
    public TwilioSignatureResult CheckStreamUpgrade(HttpRequest request)
    {
        if (!ChecksEnabled) return demo.Enabled ? TwilioSignatureResult.ChecksOff : TwilioSignatureResult.Invalid;
        var signature = request.Headers[TwilioSignature.Header].ToString();
        var streamUrl = urls.MediaStream + request.QueryString;
        var httpsTwin = "https" + streamUrl["wss".Length..];
        var valid = TwilioSignature.IsValid(options.Value.AuthToken!, streamUrl, [], signature)
                    | TwilioSignature.IsValid(options.Value.AuthToken!, httpsTwin, [], signature);
        return valid ? TwilioSignatureResult.Valid : TwilioSignatureResult.Invalid;
    }
}
