using System.Security.Cryptography;
using System.Text;
using EstateVoice.Server.Features.Telephony;

namespace EstateVoice.Server.Tests.Features.Telephony;

/// <summary>Posts form-encoded requests the way Twilio does: to the public URL, signed with the auth token.</summary>
internal static class TwilioTestClient
{
    public const string PublicBaseUrl = "https://voice.example.com";

    /// <summary>
    /// Twilio's side of <c>X-Twilio-Signature</c>: base64(HMAC-SHA1(auth token, URL + each field's name and value, sorted
    /// by name then value)). Written here from Twilio's docs so tests do not sign with the code they test; checked
    /// against Twilio's published examples in <see cref="TwilioSignatureTests"/>.
    /// </summary>
    public static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
            data.Append(name).Append(value);
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }

    /// <summary>A JSON body as Twilio posts one: the URL gets <c>bodySHA256</c> (hex) and the signature covers the URL alone.</summary>
    public static Task<HttpResponseMessage> PostSignedJsonAsync(HttpClient client, string path, string json, string authToken, string? signedBody = null)
    {
        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(signedBody ?? json)));
        var pathAndQuery = path + (path.Contains('?') ? "&" : "?") + "bodySHA256=" + bodyHash;
        var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add(TwilioRequestValidator.SignatureHeader, Sign(authToken, PublicBaseUrl + pathAndQuery, []));
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostSignedAsync(HttpClient client, string path, Dictionary<string, string> form, string? authToken,
        string? signatureOverride = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        var signature = signatureOverride ?? (authToken is null ? null : Sign(authToken, PublicBaseUrl + path, form));
        if (signature is not null) request.Headers.Add(TwilioRequestValidator.SignatureHeader, signature);
        return client.SendAsync(request);
    }

    public static Dictionary<string, string> VoiceRequest(string callSid, string from = "+15125550100", string to = "+15125550199",
        string direction = "inbound", string status = "ringing") => new()
        {
            ["AccountSid"] = FakeAccountSid, ["ApiVersion"] = "2010-04-01", ["CallSid"] = callSid, ["CallStatus"] = status,
            ["Direction"] = direction, ["From"] = from, ["To"] = to, ["Caller"] = from, ["Called"] = to,
        };

    public static Dictionary<string, string> StatusCallback(string callSid, string status, int? duration = null, int sequence = 0)
    {
        var form = VoiceRequest(callSid, status: status);
        form["CallbackSource"] = "call-progress-events";
        form["SequenceNumber"] = sequence.ToString();
        if (duration is { } d) form["CallDuration"] = d.ToString();
        return form;
    }

    private const string FakeAccountSid = "AC00000000000000000000000000000001";
}
