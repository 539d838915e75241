using EstateVoice.Server.Infrastructure.Configuration;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Telephony;

public enum TwilioSignatureResult { Valid, Invalid, ChecksOff }

/// <summary>
/// Decides whether a request really comes from Twilio: rebuilds the public URL Twilio called (PUBLIC_BASE_URL, else
/// the request's own URL after forwarded headers) and checks <c>X-Twilio-Signature</c>. Without an auth token the
/// checks are off in demo mode only; otherwise every request is refused (fail closed).
/// </summary>
public sealed class TwilioRequestValidator(IOptions<TwilioOptions> options, DemoOptions demo)
{
    public const string MediaStreamPath = "/twilio/media-stream";

    public bool ChecksEnabled => !string.IsNullOrEmpty(options.Value.AuthToken);

    /// <summary>Checks a form-encoded webhook (URL + sorted form parameters).</summary>
    public TwilioSignatureResult Check(HttpRequest request, IEnumerable<KeyValuePair<string, string>> form)
    {
        if (!ChecksEnabled) return demo.Enabled ? TwilioSignatureResult.ChecksOff : TwilioSignatureResult.Invalid;
        var valid = TwilioSignature.IsValid(options.Value.AuthToken!, PublicUrl(request), form, request.Headers[TwilioSignature.Header]);
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
        var streamUrl = StreamUrl(request) + request.QueryString;
        var httpsTwin = "https" + streamUrl["wss".Length..];
        var valid = TwilioSignature.IsValid(options.Value.AuthToken!, streamUrl, [], signature)
                    | TwilioSignature.IsValid(options.Value.AuthToken!, httpsTwin, [], signature);
        return valid ? TwilioSignatureResult.Valid : TwilioSignatureResult.Invalid;
    }

    /// <summary>The URL Twilio called for this request, as Twilio saw it.</summary>
    public string PublicUrl(HttpRequest request) =>
        PublicBase(request) + request.PathBase + request.Path + request.QueryString;

    /// <summary><c>wss://{public host}/twilio/media-stream</c> — the URL written into the TwiML.</summary>
    public string StreamUrl(HttpRequest request)
    {
        var publicBase = new Uri(PublicBase(request));
        var port = publicBase.IsDefaultPort ? "" : ":" + publicBase.Port;
        return $"wss://{publicBase.Host}{port}{request.PathBase}{MediaStreamPath}";
    }

    /// <summary>Absolute URL of one of our endpoints (e.g. the webhook for an outbound call).</summary>
    public string AbsoluteUrl(HttpRequest request, string path) => PublicBase(request) + request.PathBase + path;

    private string PublicBase(HttpRequest request) =>
        options.Value.PublicBaseUrl is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : $"{request.Scheme}://{request.Host}";
}
