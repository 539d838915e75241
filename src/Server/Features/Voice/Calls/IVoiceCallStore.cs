using EstateVoice.Server.Features.Calls;

namespace EstateVoice.Server.Features.Voice.Calls;

/// <summary>The call rows the voice loop reads and writes: stream admission, turns as they end, the final state.</summary>
public interface IVoiceCallStore
{
    /// <summary>Admits a media stream for a call once: the token must match and the call be neither finished nor already streaming.</summary>
    Task<StreamClaim> ClaimStreamAsync(int callId, string? streamToken, string? streamSid, CancellationToken cancellationToken);

    /// <summary>A test call from the web app: inbound, from "browser".</summary>
    Task<VoiceCall> CreateBrowserCallAsync(int? userId, CancellationToken cancellationToken);

    /// <summary>Extends this node's lease on a running call; false when the call is no longer ours or no longer running.</summary>
    Task<bool> RenewLeaseAsync(int callId, CancellationToken cancellationToken);

    Task AppendTurnAsync(int callId, CallTurnRecord turn, CancellationToken cancellationToken);

    /// <summary>The call's turns so far, in order (a stream resumed after a failed transfer carries on from them).</summary>
    Task<IReadOnlyList<EarlierTurn>> LoadTurnsAsync(int callId, CancellationToken cancellationToken);

    Task MarkFailureAsync(int callId, string reason, CancellationToken cancellationToken);

    Task FinishCallAsync(int callId, CallEnd end, CancellationToken cancellationToken);
}

public enum StreamClaimResult { Accepted, UnknownCall, CallFinished, AlreadyStreaming, BadToken }

public sealed record StreamClaim(StreamClaimResult Result, VoiceCall? Call);

/// <param name="IsTest">A browser test call: the agent's tools save no lead, booking or message for it.</param>
/// <param name="AnsweredAt">When the call's first stream started (a resumed stream's turns and recording carry on from it).</param>
/// <param name="RecordingStatus">The row's recording status when the stream was admitted: a resumed stream keeps the consent given earlier.</param>
public sealed record VoiceCall(int Id, string CallSid, string? FromNumber, int? LeadId, int? AgentId, bool IsTest = false,
    DateTimeOffset? AnsweredAt = null, string? RecordingStatus = null, string? RecordingStatusReason = null);

public enum TurnSpeaker { Caller, Agent, System }

public sealed record CallTurnRecord(
    int Sequence, TurnSpeaker Speaker, string Text, int StartMs, int EndMs, string? ToolCallsJson, bool Interrupted,
    int? SttLatencyMs, int? LlmFirstTokenMs, int? TtsFirstByteMs, int? FirstAudioMs);

public sealed record EarlierTurn(int Sequence, TurnSpeaker Speaker, string Text);

public enum CallEndStatus { Completed, Failed }

/// <param name="RecordingStatus">The recording's status at the end of the call (Voice/Recording), with its reason; null leaves the row's.</param>
public sealed record CallEnd(CallEndStatus Status, CallOutcome Outcome, string? FailureReason, int? LeadId, DateTimeOffset EndedAt, int DurationSeconds,
    string? RecordingStatus = null, string? RecordingStatusReason = null);
