using System.Text.Json;

namespace EstateVoice.Server.Features.Voice.Providers.Deepgram;

/// <summary>
/// One server message of Deepgram's live API, with times still relative to the socket it arrived on.
/// <see cref="FinalizedUpTo"/> is set for <c>is_final</c> results: audio before it will never be re-transcribed.
/// </summary>
internal readonly record struct DeepgramLiveMessage(string Type, SttEvent? Event, double? FinalizedUpTo)
{
    public static DeepgramLiveMessage Parse(ReadOnlyMemory<byte> json, TimeSpan connectionBase)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
        switch (type)
        {
            case "Results":
                return ParseResults(root, connectionBase);
            case "SpeechStarted":
                return new(type, new SttSpeechStarted(connectionBase + Seconds(root, "timestamp")), null);
            case "UtteranceEnd":
                return new(type, new SttUtteranceEnd(connectionBase + Seconds(root, "last_word_end")), null);
            case "Error":
                // Deepgram reports fatal stream errors as a message before closing the socket.
                var description = root.TryGetProperty("description", out var d) ? d.GetString() : null;
                return new(type, new SttError($"Deepgram error: {description ?? "unknown"}", Recoverable: true), null);
            default:
                return new(type, null, null); // Metadata and anything newer: nothing for the pipeline.
        }
    }

    private static DeepgramLiveMessage ParseResults(JsonElement root, TimeSpan connectionBase)
    {
        var start = root.TryGetProperty("start", out var s) ? s.GetDouble() : 0;
        var duration = root.TryGetProperty("duration", out var du) ? du.GetDouble() : 0;
        var isFinal = root.TryGetProperty("is_final", out var f) && f.ValueKind == JsonValueKind.True;
        var speechFinal = root.TryGetProperty("speech_final", out var sf) && sf.ValueKind == JsonValueKind.True;
        var (text, confidence) = FirstAlternative(root);

        // Interim results without words carry nothing; an empty final still matters when it marks an endpoint.
        SttEvent? evt = text.Length > 0 || speechFinal
            ? new SttTranscript(text, isFinal, speechFinal,
                connectionBase + TimeSpan.FromSeconds(start), connectionBase + TimeSpan.FromSeconds(start + duration), confidence)
            : null;
        return new("Results", evt, isFinal ? start + duration : null);
    }

    private static (string Text, double Confidence) FirstAlternative(JsonElement root)
    {
        if (!root.TryGetProperty("channel", out var channel) ||
            !channel.TryGetProperty("alternatives", out var alternatives) ||
            alternatives.ValueKind != JsonValueKind.Array || alternatives.GetArrayLength() == 0)
        {
            return ("", 0);
        }
        var best = alternatives[0];
        var text = best.TryGetProperty("transcript", out var tr) ? tr.GetString() ?? "" : "";
        var confidence = best.TryGetProperty("confidence", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetDouble() : 0;
        return (text.Trim(), confidence);
    }

    private static TimeSpan Seconds(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? TimeSpan.FromSeconds(v.GetDouble()) : TimeSpan.Zero;
}
