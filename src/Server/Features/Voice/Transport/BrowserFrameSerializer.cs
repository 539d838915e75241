using System.Text.Json;

namespace EstateVoice.Server.Features.Voice.Transport;

/// <summary>
/// The web app's test call (<c>WS /voice/browser</c>): the page speaks Twilio's Media Streams messages (its
/// microphone as mu-law <c>media</c>, marks echoed, keys as <c>dtmf</c>) plus typed <c>text</c> in, and it shows
/// both speakers' live words, so <c>transcript</c> events go out. Nothing else differs from a phone call.
/// </summary>
public sealed class BrowserFrameSerializer : TwilioFrameSerializer
{
    /// <summary>The first message of a test call: which saved call it is, so the page can link to it when it ends.</summary>
    public static byte[] CallMessage(int callId) => JsonSerializer.SerializeToUtf8Bytes(new { @event = "call", call_id = callId });

    public override byte[]? Transcript(string speaker, string text, bool isFinal) =>
        JsonSerializer.SerializeToUtf8Bytes(new { @event = "transcript", speaker, text, is_final = isFinal });
}
