namespace EstateVoice.Server.Features.Voice;

/// <summary>
/// What the pipeline's stages report about a call: turns, live transcript, tool calls, failures. Observe-only —
/// nothing here changes the call (end and transfer are frames; see ARCHITECTURE.md). The session's observer writes
/// the turns (<see cref="CallRecorder"/>) and keeps its <see cref="CallState"/> up to date; stage tests record it.
/// </summary>
public interface ICallObserver
{
    void OnUserTranscript(string text, bool isFinal);
    void OnUserTurn(UserTurnRecord turn);
    void OnAgentTurn(AgentTurnRecord turn);
    void OnToolCall(ToolCallRecord call);
    void OnProviderFailure(string source, string message);
}

public sealed record UserTurnRecord(string Text, TimeSpan Start, TimeSpan End, TimeSpan SttLatency);

/// <param name="Text">What the caller actually heard (truncated at a barge-in).</param>
public sealed record AgentTurnRecord(
    string Text,
    string FullText,
    bool Interrupted,
    TimeSpan Start,
    TimeSpan End,
    IReadOnlyList<ToolCallRecord> ToolCalls,
    TimeSpan? SttLatency,
    TimeSpan? LlmFirstToken,
    TimeSpan? TtsFirstByte,
    TimeSpan? FirstAudio);
