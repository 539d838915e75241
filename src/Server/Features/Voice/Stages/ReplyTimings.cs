namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// The latency marks and tool calls of the agent turn the output is playing. Only <see cref="OutputStage"/> writes
/// it (under its gate): the stages upstream put their marks into the frames they emit (<see cref="AgentReplyStartedFrame.Cause"/>,
/// <see cref="ReplyMarkFrame"/>, <see cref="ToolCalledFrame"/>) and the output, the last stage to see a reply,
/// records them here and puts them on the turn's record — which the turn rows and metrics read.
/// </summary>
internal sealed class ReplyTimings
{
    private ReplyCause? _cause;
    private long? _llmFirstTokenAt;
    private long? _ttsFirstByteAt;
    private long? _firstAudioAt;
    private List<ToolCallRecord>? _toolCalls;

    public bool HasToolCalls => _toolCalls is { Count: > 0 };

    public void Begin(ReplyCause? cause)
    {
        _cause = cause;
        _llmFirstTokenAt = null;
        _ttsFirstByteAt = null;
        _firstAudioAt = null;
        _toolCalls = null; // handed to the last turn's record, never changed after
    }

    /// <summary>The first mark of each kind counts (a reply of several model rounds or sentences has several).</summary>
    public void Mark(ReplyMark mark, long at)
    {
        switch (mark)
        {
            case ReplyMark.LlmFirstToken: _llmFirstTokenAt ??= at; break;
            case ReplyMark.TtsFirstByte: _ttsFirstByteAt ??= at; break;
        }
    }

    /// <summary>A frame of the reply went to the caller at <paramref name="at"/>; the first one counts.</summary>
    public void FirstAudio(long at) => _firstAudioAt ??= at;

    public void AddToolCall(ToolCallRecord call) => (_toolCalls ??= []).Add(call);

    /// <summary>
    /// The turn's tool calls and latencies, measured from the caller's end of speech (so first audio is the silence
    /// the caller heard). A reply that answers no caller turn (greeting, idle prompt, notice) has none: null.
    /// </summary>
    public (IReadOnlyList<ToolCallRecord> ToolCalls, TimeSpan? Stt, TimeSpan? LlmFirstToken, TimeSpan? TtsFirstByte, TimeSpan? FirstAudio)
        Complete(TimeProvider time)
    {
        var cause = _cause;
        // A mark from before the hand-over belongs to an earlier reply (a late frame of one that was cut off): it
        // measures nothing of this one, so it is dropped rather than stored as a huge or negative figure.
        TimeSpan? Since(long? at) => at is { } ts && cause is not null && ts >= cause.HandedOverAt
            ? cause.SttLatency + time.GetElapsedTime(cause.HandedOverAt, ts) : null;
        var result = ((IReadOnlyList<ToolCallRecord>?)_toolCalls ?? [], cause?.SttLatency, Since(_llmFirstTokenAt), Since(_ttsFirstByteAt), Since(_firstAudioAt));
        Begin(null);
        return result;
    }
}
