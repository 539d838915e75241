using System.Buffers.Text;
using System.Text.Json;

namespace EstateVoice.Server.Features.Voice.Twilio;

/// <summary>
/// Reads Twilio Media Streams JSON (numbers arrive as JSON strings) with a forward-only reader. Unknown keys are
/// skipped; a message that is not JSON, or whose audio is not base64 or does not fit, is reported as malformed.
/// </summary>
public static class MediaStreamParser
{
    public static bool TryParse(ReadOnlySpan<byte> json, MediaStreamMessage message, Span<byte> audio, out string? error)
    {
        message.Reset();
        error = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "not a JSON object";
                return false;
            }
            ReadObject(ref reader, message, audio, parent: Parent.Root, ref error);
            if (error is not null) return false;
            if (message.Event == MediaStreamEvent.Unknown)
            {
                error = "missing or unknown event";
                return false;
            }
            return true;
        }
        catch (JsonException ex)
        {
            error = "invalid JSON: " + ex.Message;
            return false;
        }
    }

    private enum Parent { Root, Start, MediaFormat, CustomParameters, Media, Dtmf, Mark, Stop, Other }

    private static void ReadObject(ref Utf8JsonReader reader, MediaStreamMessage m, Span<byte> audio, Parent parent, ref string? error)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.TokenType != JsonTokenType.PropertyName) { error = "unexpected token"; return; }
            var customKey = parent == Parent.CustomParameters ? reader.GetString() : null;
            var key = Key(ref reader, parent);
            if (!reader.Read()) { error = "truncated"; return; }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                var child = (parent, key) switch
                {
                    (Parent.Root, "start") => Parent.Start,
                    (Parent.Root, "media") => Parent.Media,
                    (Parent.Root, "dtmf") => Parent.Dtmf,
                    (Parent.Root, "mark") => Parent.Mark,
                    (Parent.Root, "stop") => Parent.Stop,
                    (Parent.Start, "mediaFormat") => Parent.MediaFormat,
                    (Parent.Start, "customParameters") => Parent.CustomParameters,
                    _ => Parent.Other,
                };
                if (child == Parent.Other) reader.Skip();
                else ReadObject(ref reader, m, audio, child, ref error);
                if (error is not null) return;
                continue;
            }
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            if (parent == Parent.CustomParameters)
            {
                if (customKey is not null && reader.TokenType == JsonTokenType.String)
                    m.CustomParameters[customKey] = reader.GetString()!;
                continue;
            }

            switch (parent, key)
            {
                case (Parent.Root, "event"):
                    m.Event = ParseEvent(ref reader);
                    break;
                case (Parent.Root, "sequenceNumber"):
                    m.SequenceNumber = ReadLong(ref reader);
                    break;
                case (Parent.Root, "streamSid"):
                    // Only the start message's streamSid is kept; copying it from every media frame would allocate.
                    if (m.Event != MediaStreamEvent.Media) m.StreamSid = reader.GetString();
                    break;
                case (Parent.Root, "text"):
                    m.Text = reader.GetString();
                    break;
                case (Parent.Start, "streamSid"): m.StreamSid = reader.GetString(); break;
                case (Parent.Start, "callSid"): m.CallSid = reader.GetString(); break;
                case (Parent.Start, "accountSid"): m.AccountSid = reader.GetString(); break;
                case (Parent.MediaFormat, "encoding"): m.Encoding = reader.GetString(); break;
                case (Parent.MediaFormat, "sampleRate"): m.SampleRate = (int)ReadLong(ref reader); break;
                case (Parent.MediaFormat, "channels"): m.Channels = (int)ReadLong(ref reader); break;
                case (Parent.Media, "track"):
                    m.InboundTrack = reader.ValueTextEquals("inbound"u8) || reader.ValueTextEquals("inbound_track"u8);
                    break;
                case (Parent.Media, "chunk"): m.Chunk = ReadLong(ref reader); break;
                case (Parent.Media, "timestamp"): m.TimestampMs = ReadLong(ref reader); break;
                case (Parent.Media, "payload"):
                    if (!DecodePayload(ref reader, audio, out var length)) { error = "payload is not base64 or too large"; return; }
                    m.PayloadLength = length;
                    break;
                case (Parent.Dtmf, "digit"):
                    var digit = reader.GetString();
                    m.Digit = string.IsNullOrEmpty(digit) ? '\0' : digit[0];
                    break;
                case (Parent.Mark, "name"): m.MarkName = reader.GetString(); break;
                case (Parent.Stop, "callSid"): m.CallSid ??= reader.GetString(); break;
            }
        }
    }

    // Keys we care about are short ASCII; interning them avoids a string per property on the media path.
    private static string Key(ref Utf8JsonReader reader, Parent parent)
    {
        if (parent == Parent.CustomParameters) return "";
        ReadOnlySpan<string> known =
        [
            "event", "sequenceNumber", "streamSid", "text", "start", "media", "dtmf", "mark", "stop", "callSid",
            "accountSid", "mediaFormat", "customParameters", "encoding", "sampleRate", "channels", "track", "chunk",
            "timestamp", "payload", "digit", "name",
        ];
        foreach (var k in known)
            if (reader.ValueTextEquals(k)) return k;
        return "";
    }

    private static MediaStreamEvent ParseEvent(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String) return MediaStreamEvent.Unknown;
        if (reader.ValueTextEquals("media"u8)) return MediaStreamEvent.Media;
        if (reader.ValueTextEquals("start"u8)) return MediaStreamEvent.Start;
        if (reader.ValueTextEquals("connected"u8)) return MediaStreamEvent.Connected;
        if (reader.ValueTextEquals("mark"u8)) return MediaStreamEvent.Mark;
        if (reader.ValueTextEquals("dtmf"u8)) return MediaStreamEvent.Dtmf;
        if (reader.ValueTextEquals("stop"u8)) return MediaStreamEvent.Stop;
        if (reader.ValueTextEquals("text"u8)) return MediaStreamEvent.Text;
        return MediaStreamEvent.Unknown;
    }

    // Twilio sends numbers as strings ("sequenceNumber":"4"); accept real numbers too.
    private static long ReadLong(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var n)) return n;
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped &&
            Utf8Parser.TryParse(reader.ValueSpan, out long parsed, out var consumed) && consumed == reader.ValueSpan.Length)
            return parsed;
        return -1;
    }

    private static bool DecodePayload(ref Utf8JsonReader reader, Span<byte> audio, out int length)
    {
        length = 0;
        if (reader.TokenType != JsonTokenType.String) return false;
        if (reader.ValueIsEscaped)
        {
            // Rare (a JSON encoder escaping '/' as "\/"): unescape once, then decode.
            var text = reader.GetString()!;
            return Convert.TryFromBase64String(text, audio, out length);
        }
        var b64 = reader.ValueSpan;
        if (Base64.GetMaxDecodedFromUtf8Length(b64.Length) > audio.Length) return false;
        var status = Base64.DecodeFromUtf8(b64, audio, out _, out length);
        return status == System.Buffers.OperationStatus.Done;
    }
}
