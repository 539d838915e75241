using System.Text.Json.Serialization;

namespace EstateVoice.Server.Features.Voice.Live;

// Shapes the web app's live monitor consumes (snake_case, as the REST API).

public sealed record TranscriptEvent(
    [property: JsonPropertyName("call_id")] int CallId,
    [property: JsonPropertyName("speaker")] string Speaker,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("is_final")] bool IsFinal,
    [property: JsonPropertyName("sequence")] int Sequence,
    [property: JsonPropertyName("interrupted")] bool Interrupted = false);

public sealed record ToolCallEvent(
    [property: JsonPropertyName("call_id")] int CallId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("arguments")] string Arguments,
    [property: JsonPropertyName("result")] string Result);

/// <summary>Publishes live call events; never blocks or fails the voice loop.</summary>
public interface ICallEventPublisher
{
    /// <summary>
    /// The call's status or outcome changed: listeners get <c>callUpdated</c> as <c>{ call }</c>, the call as
    /// <c>GET /calls/{id}</c> shows it (read after this call, so write the change first).
    /// </summary>
    void CallUpdated(int? agentId, int callId);
    void Transcript(int? agentId, TranscriptEvent e);
    void ToolCall(int? agentId, ToolCallEvent e);
}
