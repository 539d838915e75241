namespace EstateVoice.Server.Features.Voice.Tools;

public enum AgentAction { None, Transfer, EndCall }

/// <summary>Per-call facts the tools need (who is calling, which lead) and the hand-off the agent asked for.</summary>
public sealed class AgentCallContext
{
    public int? CallId { get; init; }
    /// <summary>
    /// The caller's number, by which update_lead finds their lead. Null for a browser test call: it has no number,
    /// so its lead is its own (created on the first update_lead) and never another call's.
    /// </summary>
    public string? CallerPhone { get; init; } = "unknown";
    public int? LeadId { get; set; }
    public AgentAction PendingAction { get; set; }
    public string? ActionReason { get; set; }
    public bool ShowingBooked { get; set; }
}
