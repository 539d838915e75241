using System.Xml;
using System.Xml.Linq;

namespace EstateVoice.Server.Features.Telephony;

/// <summary>TwiML documents. Built with XLinq so every attribute and text value is XML-escaped.</summary>
public static class TwiML
{
    public const string ContentType = "text/xml";

    /// <summary>A bidirectional media stream; per-call data travels as <c>&lt;Parameter&gt;</c>s (Twilio drops query strings).</summary>
    public static string ConnectStream(string streamUrl, IEnumerable<KeyValuePair<string, string>> parameters) =>
        Document(new XElement("Connect",
            new XElement("Stream", new XAttribute("url", streamUrl),
                parameters.Select(p => new XElement("Parameter", new XAttribute("name", Clean(p.Key)), new XAttribute("value", Clean(p.Value)))))));

    /// <summary>Bridges the live call to <paramref name="number"/> (used to transfer a caller to a human).</summary>
    public static string Dial(string number, int timeoutSeconds = 20, string? callerId = null) =>
        Document(new XElement("Dial",
            new XAttribute("timeout", timeoutSeconds),
            new XAttribute("answerOnBridge", "true"),
            callerId is null ? null : new XAttribute("callerId", Clean(callerId)),
            Clean(number)));

    public static string SayAndHangUp(string message) =>
        Document(new XElement("Say", Clean(message)), new XElement("Hangup"));

    public static string HangUp() => Document(new XElement("Hangup"));

    private static string Document(params object?[] verbs) =>
        """<?xml version="1.0" encoding="UTF-8"?>""" + new XElement("Response", verbs).ToString(SaveOptions.DisableFormatting);

    /// <summary>Characters XML cannot carry at all (control characters) are dropped rather than failing the call.</summary>
    private static string Clean(string value) =>
        value.All(XmlConvert.IsXmlChar) ? value : new string(value.Where(XmlConvert.IsXmlChar).ToArray());
}
