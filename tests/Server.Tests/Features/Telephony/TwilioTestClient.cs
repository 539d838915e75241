using EstateVoice.Server.Features.Telephony;

namespace EstateVoice.Server.Tests.Features.Telephony;

/// <summary>Posts form-encoded requests the way Twilio does: to the public URL, signed with the auth token.</summary>
internal static class TwilioTestClient
{
    public const string PublicBaseUrl = "https://voice.example.com";

    public static Task<HttpResponseMessage> PostSignedAsync(HttpClient client, string path, Dictionary<string, string> form, string? authToken,
        string? signatureOverride = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        var signature = signatureOverride ?? (authToken is null ? null : TwilioSignature.Compute(authToken, PublicBaseUrl + path, form));
        if (signature is not null) request.Headers.Add(TwilioSignature.Header, signature);
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
