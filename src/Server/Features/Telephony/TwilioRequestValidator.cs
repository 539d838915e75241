using EstateVoice.Server.Infrastructure.Configuration;
using Microsoft.Extensions.Options;
using Twilio.Security;

namespace EstateVoice.Server.Features.Telephony;

public enum TwilioSignatureResult { Valid, Invalid, ChecksOff }

/// <summary>
/// Decides whether a request really comes from Twilio: checks <c>X-Twilio-Signature</c> with Twilio's SDK
/// (<see cref="RequestValidator"/>: HMAC-SHA1 over the URL and the sorted form fields, or over the URL with a
/// <c>bodySHA256</c> query for JSON bodies, compared in constant time, with the URL's port added or removed) against
/// the public URL Twilio called (<see cref="TwilioPublicUrls"/>, never the request's own Host). Without an auth token
/// the checks are off in demo mode only; otherwise every request is refused (fail closed).
/// </summary>
public sealed class TwilioRequestValidator(IOptions<TwilioOptions> options, DemoOptions demo, TwilioPublicUrls urls)
{
    public const string SignatureHeader = "X-Twilio-Signature";

    public bool ChecksEnabled => !string.IsNullOrEmpty(options.Value.AuthToken);

    /// <summary>Checks a form-encoded webhook (URL + sorted form parameters).</summary>
    public TwilioSignatureResult Check(HttpRequest request, IEnumerable<KeyValuePair<string, string>> form)
    {
        if (!ChecksEnabled) return demo.Enabled ? TwilioSignatureResult.ChecksOff : TwilioSignatureResult.Invalid;
        return Result(IsValid(options.Value.AuthToken!, urls.Of(request), form, request.Headers[SignatureHeader]));
    }

    /// <summary>Checks a JSON webhook: Twilio signs the URL, whose <c>bodySHA256</c> query parameter is the body's SHA-256.</summary>
    public TwilioSignatureResult CheckJson(HttpRequest request, string body)
    {
        if (!ChecksEnabled) return demo.Enabled ? TwilioSignatureResult.ChecksOff : TwilioSignatureResult.Invalid;
        string signature = request.Headers[SignatureHeader].ToString();
        if (signature.Length == 0) return TwilioSignatureResult.Invalid;
        try
        {
            return Result(new RequestValidator(options.Value.AuthToken!).Validate(urls.Of(request), body, signature));
        }
        catch (IndexOutOfRangeException)
        {
            return TwilioSignatureResult.Invalid; // the SDK's query parsing: a bodySHA256 with no '=' was not signed by Twilio
        }
    }

    /// <summary>
    /// Checks the media-stream WebSocket upgrade. Twilio signs the stream URL with no parameters; which spelling
    /// (the <c>wss://</c> URL from the TwiML or its <c>https://</c> twin) is not documented, so both are accepted.
    /// </summary>
    public TwilioSignatureResult CheckStreamUpgrade(HttpRequest request)
    {
        if (!ChecksEnabled) return demo.Enabled ? TwilioSignatureResult.ChecksOff : TwilioSignatureResult.Invalid;
        string signature = request.Headers[SignatureHeader].ToString();
        var streamUrl = urls.MediaStream + request.QueryString;
        var httpsTwin = "https" + streamUrl["wss".Length..];
        // Both are checked (no early exit) so a match costs the same time whichever spelling it was.
        var valid = IsValid(options.Value.AuthToken!, streamUrl, [], signature) | IsValid(options.Value.AuthToken!, httpsTwin, [], signature);
        return Result(valid);
    }

    /// <summary>
    /// The SDK's check with what it leaves to its caller: a missing signature is invalid (the SDK throws), and a field
    /// sent more than once (which the SDK's dictionary cannot hold) counts as Twilio signs it, name and value once per
    /// value in value order.
    /// </summary>
    internal static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form, string? signature)
    {
        if (string.IsNullOrEmpty(authToken) || string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(url)) return false;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in form.GroupBy(f => f.Key, StringComparer.Ordinal))
        {
            var values = group.Select(f => f.Value ?? "").Order(StringComparer.Ordinal).ToList();
            // The SDK appends name + value: a value of "v1" + name + "v2" yields name v1 name v2.
            fields[group.Key] = string.Join(group.Key, values);
        }
        try
        {
            return new RequestValidator(authToken).Validate(url, fields, signature);
        }
        catch (UriFormatException)
        {
            return false; // the SDK parses the URL to try its port variant; a URL it cannot parse was not signed by Twilio
        }
    }

    private static TwilioSignatureResult Result(bool valid) => valid ? TwilioSignatureResult.Valid : TwilioSignatureResult.Invalid;
}
