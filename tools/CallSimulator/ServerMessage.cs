using System.Text.Json;

namespace EstateVoice.CallSimulator;

/// <summary>
/// The parts of a message from the server the simulator acts on — the event, the audio length of a media payload,
/// a mark's name — read in one forward pass without building a document or decoding the audio (every 20 ms per
/// call: the load generator must stay light next to the server it measures).
/// </summary>
public readonly record struct ServerMessage(string? Event, int PayloadBytes, string? MarkName)
{
    public static ServerMessage Read(ReadOnlySpan<byte> json)
    {
        string? eventName = null, markName = null;
        var payloadBytes = 0;
        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName) continue;
                if (reader.CurrentDepth == 1 && reader.ValueTextEquals("event"u8))
                {
                    reader.Read();
                    // The frequent events without a string each (one arrives every 20 ms per call).
                    eventName = reader.TokenType != JsonTokenType.String ? null
                        : reader.ValueTextEquals("media"u8) ? "media"
                        : reader.ValueTextEquals("mark"u8) ? "mark"
                        : reader.GetString();
                }
                else if (reader.CurrentDepth == 2 && reader.ValueTextEquals("payload"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
                        payloadBytes = DecodedLength(reader.ValueSpan);
                }
                else if (reader.CurrentDepth == 2 && reader.ValueTextEquals("name"u8))
                {
                    reader.Read();
                    markName = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
            }
        }
        catch (JsonException)
        {
            return default; // not ours to judge: a malformed message is simply not acted on
        }
        return new ServerMessage(eventName, payloadBytes, markName);
    }

    private static int DecodedLength(ReadOnlySpan<byte> base64)
    {
        var padding = base64.Length > 0 && base64[^1] == '=' ? base64.Length > 1 && base64[^2] == '=' ? 2 : 1 : 0;
        return base64.Length / 4 * 3 - padding;
    }
}
