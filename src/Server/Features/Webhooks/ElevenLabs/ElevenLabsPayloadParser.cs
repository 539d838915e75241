using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using EstateVoice.Server.Features.Calls;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

public sealed record ParseResult(ElevenLabsEvent? Event, string? Error, string? Type, long? EventTimestamp)
{
    public static ParseResult Fail(string error, string? type = null, long? timestamp = null) => new(null, error, type, timestamp);
}

/// <summary>
/// Reads a verified body into an <see cref="ElevenLabsEvent"/>. Unknown fields, and known fields of an unexpected
/// JSON type, are ignored: ElevenLabs adds fields without notice. A signature vouches for the sender, not the values:
/// NUL (which PostgreSQL text refuses) is read as U+FFFD, and a call SID or conversation id longer than its column
/// fails the event (logged as failed, answered <c>success: false</c>) instead of failing the database write.
/// </summary>
public static class ElevenLabsPayloadParser
{
    public const int MaxKeyLength = 128;
    private const int MaxDurationSeconds = 24 * 3600;
    private static readonly string[] SidPaths = ["metadata.phone_call.call_sid", "conversation_initiation_client_data.dynamic_variables.system__call_sid",
        "call_sid", "twilio_call_sid", "metadata.body.CallSid", "metadata.body.call_sid"];
    private static readonly string[] OtherIdPaths = ["call_id", "external_id", "conversation_id", "metadata.phone_call.stream_sid"];
    private static readonly HashSet<string> CallerNameFields = new(StringComparer.OrdinalIgnoreCase)
        { "caller_name", "caller_username", "username", "name", "full_name", "customer_name", "lead_name" };

    public static ParseResult Parse(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException)
        {
            return ParseResult.Fail("body is not valid JSON");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return ParseResult.Fail("body is not a JSON object");
            var type = String(root, "type");
            var timestamp = Number(root, "event_timestamp") is { } t && t is >= 0 and < 1e11 ? (long)t : (long?)null;
            if (type is null) return ParseResult.Fail("missing 'type'", timestamp: timestamp);
            if (timestamp is null) return ParseResult.Fail("missing or invalid 'event_timestamp'", type);
            var data = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
            if (data.ValueKind != JsonValueKind.Object && ElevenLabsEventTypes.IsKnown(type))
                return ParseResult.Fail("missing 'data' object", type, timestamp);

            var sid = data.ValueKind == JsonValueKind.Object ? SidPaths.Select(p => String(data, p)).FirstOrDefault(s => s is not null) : null;
            if (sid?.Length > Call.MaxSid) return ParseResult.Fail($"call_sid is longer than {Call.MaxSid} characters", type, timestamp);
            var conversationId = String(data, "conversation_id");
            if (conversationId?.Length > MaxKeyLength)
                return ParseResult.Fail($"conversation_id is longer than {MaxKeyLength} characters", type, timestamp);
            var identifiers = data.ValueKind == JsonValueKind.Object
                ? SidPaths.Concat(OtherIdPaths).Select(p => String(data, p)).OfType<string>().Where(s => s.Length <= MaxKeyLength).Distinct().ToList()
                : [];
            if (identifiers.Count == 0 && ElevenLabsEventTypes.IsKnown(type))
                return ParseResult.Fail("no call identifier (call_id, conversation_id, call_sid, …) in 'data'", type, timestamp);

            var (audio, audioInvalid) = Audio(data);
            var (duration, durationInvalid) = Duration(data);
            var (transcriptText, turns) = Transcript(data);
            return new ParseResult(new ElevenLabsEvent
            {
                Type = type,
                EventTimestamp = timestamp.Value,
                EventKey = identifiers.FirstOrDefault() ?? "none",
                CallSid = sid,
                Identifiers = identifiers,
                ConversationId = conversationId,
                TranscriptText = transcriptText,
                Turns = turns,
                Summary = String(data, "summary") ?? String(data, "analysis.transcript_summary") ?? String(data, "transcript_summary"),
                CollectedCallerName = CollectedCallerName(data),
                Audio = audio,
                AudioInvalid = audioInvalid,
                AudioUrl = (String(data, "audio_url") ?? String(data, "recording_url")) is { } url
                           && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null,
                DurationSeconds = duration,
                DurationInvalid = durationInvalid,
                StartTimeUnixSeconds = Number(data, "metadata.start_time_unix_secs") is { } start and > 0 and < 1e11 ? (long)start : null,
                Phone = Phone(data),
                FailureReason = FailureReason(data),
            }, null, type, timestamp);
        }
    }

    /// <summary>A short stable key for a body we could not read, so identical bad deliveries collapse into one log row.</summary>
    public static string MalformedKey(ReadOnlySpan<byte> body) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body))[..32];

    private static (string? Text, IReadOnlyList<TranscriptTurn> Turns) Transcript(JsonElement data)
    {
        if (!TryGet(data, "transcript", out var transcript)) return (null, []);
        if (transcript.ValueKind == JsonValueKind.String)
        {
            var text = Clean(transcript.GetString());
            return (string.IsNullOrWhiteSpace(text) ? null : text.Trim(), TurnsFromText(text ?? ""));
        }
        if (transcript.ValueKind != JsonValueKind.Array) return (null, []);
        var turns = new List<TranscriptTurn>();
        foreach (var turn in transcript.EnumerateArray())
        {
            if (turn.ValueKind != JsonValueKind.Object || String(turn, "message") is not { } message) continue;
            var speaker = String(turn, "role")?.ToLowerInvariant() switch
            {
                "agent" or "assistant" or "ai" => Speaker.Agent,
                "user" or "caller" or "customer" => Speaker.Caller,
                _ => Speaker.System,
            };
            var tools = turn.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array && calls.GetArrayLength() > 0
                ? calls.GetRawText() : null;
            var interrupted = turn.TryGetProperty("interrupted", out var i) && i.ValueKind == JsonValueKind.True;
            turns.Add(new TranscriptTurn(speaker, message, Number(turn, "time_in_call_secs") is { } s and >= 0 and < MaxDurationSeconds ? (int)s : null, interrupted, tools));
        }
        return (turns.Count == 0 ? null : TranscriptRendering.Render(turns), turns);
    }

    /// <summary>"Agent: …" / "Caller: …" (or "User:") lines of a plain-text transcript become turns; other text stays text only.</summary>
    private static List<TranscriptTurn> TurnsFromText(string text)
    {
        var turns = new List<TranscriptTurn>();
        foreach (var line in text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) return [];
            Speaker? speaker = line[..colon].Trim().ToLowerInvariant() switch
            {
                "agent" or "assistant" or "ai" => Speaker.Agent,
                "caller" or "user" or "customer" => Speaker.Caller,
                _ => null,
            };
            if (speaker is null) return [];
            turns.Add(new TranscriptTurn(speaker.Value, line[(colon + 1)..].Trim(), null, false, null));
        }
        return turns;
    }

    private static (byte[]? Audio, bool Invalid) Audio(JsonElement data)
    {
        foreach (var name in new[] { "full_audio", "audio", "audio_base64" })
        {
            if (!TryGet(data, name, out var value) || value.ValueKind != JsonValueKind.String) continue;
            if (value.TryGetBytesFromBase64(out var bytes)) return bytes.Length > 0 ? (bytes, false) : (null, true);
            try
            {
                // Some encoders wrap base64 in lines; Convert tolerates the whitespace the JSON reader does not.
                var decoded = Convert.FromBase64String(value.GetString()!);
                return decoded.Length > 0 ? (decoded, false) : (null, true);
            }
            catch (FormatException)
            {
                return (null, true);
            }
        }
        return (null, false);
    }

    private static (int? Seconds, bool Invalid) Duration(JsonElement data)
    {
        foreach (var path in new[] { "duration_seconds", "metadata.call_duration_secs", "call_duration_secs", "recording_duration" })
        {
            if (!TryGet(data, path, out var value) || value.ValueKind == JsonValueKind.Null) continue;
            var number = Number(data, path);
            return number is >= 0 and <= MaxDurationSeconds ? ((int)Math.Round(number.Value), false) : (null, true);
        }
        return (null, false);
    }

    private static string? CollectedCallerName(JsonElement data)
    {
        if (!TryGet(data, "analysis.data_collection_results", out var results) || results.ValueKind != JsonValueKind.Object) return null;
        foreach (var field in results.EnumerateObject())
        {
            var id = field.Value.ValueKind == JsonValueKind.Object ? String(field.Value, "data_collection_id") ?? field.Name : field.Name;
            if (!CallerNameFields.Contains(id)) continue;
            var value = field.Value.ValueKind == JsonValueKind.Object ? String(field.Value, "value") : field.Value.ValueKind == JsonValueKind.String ? Clean(field.Value.GetString()) : null;
            if (!string.IsNullOrWhiteSpace(value)) return value.Trim();
        }
        return null;
    }

    private static PhoneCallInfo? Phone(JsonElement data)
    {
        if (!TryGet(data, "metadata.phone_call", out var phone) || phone.ValueKind != JsonValueKind.Object) return null;
        CallDirection? direction = String(phone, "direction") switch
        {
            "inbound" => CallDirection.Inbound,
            "outbound" => CallDirection.Outbound,
            _ => null,
        };
        return new PhoneCallInfo(direction, Number(String(phone, "agent_number")), Number(String(phone, "external_number")));

        // Longer than any phone number (or our column): not a number we can call back, so not stored.
        static string? Number(string? value) => value?.Length > Call.MaxPhoneNumber ? null : value;
    }

    private static string? FailureReason(JsonElement data)
    {
        var reason = String(data, "failure_reason");
        var detail = String(data, "metadata.body.error_reason");
        detail ??= String(data, "metadata.body.SipResponseCode") is { } sip ? $"SIP {sip}" : null;
        detail ??= Number(data, "metadata.body.sip_status_code") is { } code ? $"SIP {code.ToString(CultureInfo.InvariantCulture)}" : null;
        return reason is null ? detail : detail is null ? reason : $"{reason} ({detail})";
    }

    private static bool TryGet(JsonElement element, string path, out JsonElement value)
    {
        value = element;
        foreach (var segment in path.Split('.'))
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(segment, out value)) return false;
        }
        return true;
    }

    private static string? String(JsonElement element, string path)
    {
        if (!TryGet(element, path, out var value)) return null;
        var text = value.ValueKind switch
        {
            JsonValueKind.String => Clean(value.GetString()),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    private static string? Clean(string? text) => text?.Replace('\0', '\uFFFD');

    private static double? Number(JsonElement element, string path)
    {
        if (!TryGet(element, path, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDouble(out var n) && double.IsFinite(n) => n,
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) => n,
            _ => null,
        };
    }
}
