using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using EstateVoice.Server.Features.Voice;
using Twilio.TwiML;
using Twilio.TwiML.Voice;

namespace EstateVoice.Server.Features.Telephony;

/// <summary>
/// The TwiML documents we answer, built with Twilio's SDK (<see cref="VoiceResponse"/>; it writes through XLinq, so
/// attribute and text values are XML-escaped). Text that came from a caller or a model goes through <see cref="Clean"/>:
/// the SDK throws on characters XML cannot carry, and a call must not fail over a stray control character.
/// </summary>
public static class TwiML
{
    public const string ContentType = "text/xml";

    /// <summary>A bidirectional media stream; per-call data travels as <c>&lt;Parameter&gt;</c>s (Twilio drops query strings).</summary>
    public static VoiceResponse ConnectStream(string streamUrl, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var stream = new Twilio.TwiML.Voice.Stream(url: Clean(streamUrl));
        foreach (var (name, value) in parameters) stream.Parameter(Clean(name), Clean(value));
        return new VoiceResponse().Append(new Connect().Append(stream));
    }

    /// <summary>
    /// The media stream of a Twilio call: the webhook's first one, or a resumed one (<paramref name="resume"/>, e.g.
    /// after a failed transfer). Parameters: <c>call_id</c>, <c>stream_token</c>, <c>direction</c>, <c>lead_id</c>,
    /// <c>traceparent</c> when the request is traced, and when resuming <c>resume</c> plus <paramref name="extra"/>.
    /// </summary>
    public static VoiceResponse CallStream(string streamUrl, Calls.Call call, string streamToken, string? resume = null,
        params KeyValuePair<string, string>[] extra)
    {
        List<KeyValuePair<string, string>> parameters =
        [
            new(StreamTokens.CallIdParameter, call.Id.ToString(CultureInfo.InvariantCulture)),
            new(StreamTokens.ParameterName, streamToken),
            new("direction", call.Direction == Calls.CallDirection.Inbound ? "inbound" : "outbound"),
        ];
        if (call.LeadId is { } leadId) parameters.Add(new("lead_id", leadId.ToString(CultureInfo.InvariantCulture)));
        if (resume is not null) parameters.Add(new(StreamTokens.ResumeParameter, resume));
        // The request answering with this TwiML (when traced): the call's trace links to it.
        if (CallTelemetry.CurrentTraceParent() is { } traceParent) parameters.Add(new(CallTelemetry.TraceParentParameter, traceParent));
        parameters.AddRange(extra);
        return ConnectStream(streamUrl, parameters);
    }

    public static VoiceResponse Say(string message) => new VoiceResponse().Say(Clean(message));

    public static VoiceResponse HangUp() => new VoiceResponse().Hangup();

    /// <summary>The document as sent: the XML declaration and no indentation.</summary>
    public static string Serialize(VoiceResponse response) => response.ToString(SaveOptions.DisableFormatting);

    /// <summary>Characters XML cannot carry at all (control characters) are dropped rather than failing the call.</summary>
    public static string Clean(string value) =>
        value.All(XmlConvert.IsXmlChar) ? value : new string(value.Where(XmlConvert.IsXmlChar).ToArray());
}
