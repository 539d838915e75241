namespace EstateVoice.Server.Features.Calls;

public enum Speaker { Caller, Agent, System }

public sealed class CallTurn
{
    public long Id { get; set; }
    public int CallId { get; set; }
    public Call? Call { get; set; }
    public int Sequence { get; set; }
    public Speaker Speaker { get; set; }
    public required string Text { get; set; }
    /// <summary>Offsets from the start of the media stream.</summary>
    public int StartMs { get; set; }
    public int EndMs { get; set; }
    /// <summary>JSON array of {name, arguments, result}; null when the turn called no tool.</summary>
    public string? ToolCallsJson { get; set; }
    /// <summary>The caller barged in: Text holds only what was actually played.</summary>
    public bool Interrupted { get; set; }
    // Latency breakdown of an agent turn, so the silence a caller hears can be attributed.
    public int? SttLatencyMs { get; set; }
    public int? LlmFirstTokenMs { get; set; }
    public int? TtsFirstByteMs { get; set; }
    public int? FirstAudioMs { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
