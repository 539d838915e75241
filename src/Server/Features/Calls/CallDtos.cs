using System.Linq.Expressions;
using System.Text.Json;
using EstateVoice.Server.Features.Calls.Analysis;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Calls;

public sealed record CallListItem(
    int Id, string CallSid, CallDirection Direction, string? FromNumber, string? ToNumber, CallStatus Status,
    DateTimeOffset StartedAt, DateTimeOffset? AnsweredAt, DateTimeOffset? EndedAt, int? DurationSeconds, CallOutcome? Outcome,
    int? LeadId, string? LeadName, int? AgentId, string? AgentName, string? CallerUsername, string? TranscriptSummary, bool HasRecording,
    CallSentiment? Sentiment, bool IsTest)
{
    public static readonly Expression<Func<Call, CallListItem>> Projection = c => new CallListItem(
        c.Id, c.CallSid, c.Direction, c.FromNumber, c.ToNumber, c.Status, c.StartedAt, c.AnsweredAt, c.EndedAt, c.DurationSeconds,
        c.Outcome, c.LeadId, c.Lead != null ? c.Lead.Name : null, c.AgentId, c.Agent != null ? c.Agent.Name : null,
        c.CallerUsername, c.TranscriptSummary, c.RecordingBlobName != null || c.RecordingUrl != null,
        c.Analysis != null ? c.Analysis.Sentiment : null, c.IsTest);
}

public sealed record TurnLatency(int? SttMs, int? LlmFirstTokenMs, int? TtsFirstByteMs, int? FirstAudioMs)
{
    /// <summary>Longer than any reply a caller would wait for: such a figure measured something else (rows from older versions).</summary>
    public const int MaxPlausibleMs = 120_000;

    /// <summary>
    /// An agent reply's figures; null for any other turn and for a turn with none. A figure outside 0..2 min is not
    /// a reply latency (older rows saved idle prompts with clocks of other replies) and is left out.
    /// </summary>
    public static TurnLatency? Of(CallTurn turn)
    {
        if (turn.Speaker != Speaker.Agent) return null;
        static int? Plausible(int? ms) => ms is >= 0 and <= MaxPlausibleMs ? ms : null;
        var (stt, llm, tts, audio) = (Plausible(turn.SttLatencyMs), Plausible(turn.LlmFirstTokenMs), Plausible(turn.TtsFirstByteMs), Plausible(turn.FirstAudioMs));
        return stt is null && llm is null && tts is null && audio is null ? null : new TurnLatency(stt, llm, tts, audio);
    }
}

public sealed record CallTurnResponse(
    int Sequence, Speaker Speaker, string Text, int StartMs, int EndMs, JsonElement? ToolCalls, bool Interrupted, TurnLatency? Latency)
{
    public static CallTurnResponse From(CallTurn turn) => new(
        turn.Sequence, turn.Speaker, turn.Text, turn.StartMs, turn.EndMs, ParseToolCalls(turn.ToolCallsJson), turn.Interrupted,
        TurnLatency.Of(turn));

    // Tool calls are stored as the JSON the voice loop wrote; they pass through as JSON, not as a string of JSON.
    private static JsonElement? ParseToolCalls(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

public sealed record CallDetail(
    int Id, string CallSid, CallDirection Direction, string? FromNumber, string? ToNumber, CallStatus Status,
    DateTimeOffset StartedAt, DateTimeOffset? AnsweredAt, DateTimeOffset? EndedAt, int? DurationSeconds, CallOutcome? Outcome,
    int? LeadId, string? LeadName, int? AgentId, string? AgentName, string? CallerUsername, string? TranscriptSummary, bool HasRecording,
    string? TranscriptText, string? RecordingUrl, int? RecordingDurationSeconds, string? ReceptionStatus, string? FailureReason,
    string? Purpose, string? RecordingStatus, string? RecordingStatusReason, IReadOnlyList<CallTurnResponse> Turns)
{
    /// <summary>The caller's mood as the post-call analysis read it (null until analysed).</summary>
    public CallSentiment? Sentiment => Analysis?.Sentiment;

    /// <summary>The post-call analysis, pending while its job runs; null for a call not (yet) finished.</summary>
    public CallAnalysisResponse? Analysis { get; init; }

    /// <summary>
    /// The recording is served by our own authenticated endpoint, never the storage URL. Without a stored
    /// transcript (a call the webhook has not reached yet) the transcript is the turns, one line each.
    /// </summary>
    public static CallDetail From(CallListItem call, CallExtras extras, IReadOnlyList<CallTurnResponse> turns) => new(
        call.Id, call.CallSid, call.Direction, call.FromNumber, call.ToNumber, call.Status, call.StartedAt, call.AnsweredAt, call.EndedAt,
        call.DurationSeconds, call.Outcome, call.LeadId, call.LeadName, call.AgentId, call.AgentName, call.CallerUsername,
        call.TranscriptSummary, call.HasRecording,
        extras.TranscriptText ?? CallTranscript.Render(turns.Select(t => (t.Speaker, t.Text))),
        call.HasRecording ? $"/calls/{call.Id}/recording" : null,
        extras.RecordingDurationSeconds, extras.ReceptionStatus, extras.FailureReason, extras.Purpose,
        extras.RecordingStatus, extras.RecordingStatusReason, turns);

    /// <summary>
    /// The call as <c>GET /calls/{id}</c> shows it, or null when <paramref name="visible"/> does not hold it. The live
    /// hub pushes the same object, so the web app has one shape for a call.
    /// </summary>
    public static async Task<CallDetail?> LoadAsync(AppDbContext db, IQueryable<Call> visible, int id, CancellationToken ct)
    {
        var one = visible.Where(c => c.Id == id);
        // The analysis first: its job writes the analysis and the call's summary in one commit, so an analysis read as
        // done is always shown with that summary (read the other way round, a commit in between showed it without).
        var analysis = await CallAnalysisResponse.LoadAsync(db, id, ct).ConfigureAwait(false);
        var call = await one.Select(CallListItem.Projection).SingleOrDefaultAsync(ct).ConfigureAwait(false);
        if (call is null) return null;
        var extras = await one.Select(c => new CallExtras(c.TranscriptText, c.RecordingDurationSeconds, c.ReceptionStatus, c.FailureReason, c.Purpose,
                c.RecordingStatus, c.RecordingStatusReason))
            .SingleAsync(ct).ConfigureAwait(false);
        var turns = await db.CallTurns.AsNoTracking().Where(t => t.CallId == id).OrderBy(t => t.Sequence).ToListAsync(ct).ConfigureAwait(false);
        return From(call, extras, turns.Select(CallTurnResponse.From).ToList()) with { Analysis = analysis };
    }
}

/// <param name="Purpose">Why an outbound call was placed (what the agent's opener said), as staff gave it.</param>
/// <param name="RecordingStatus">Whether our own recording of the call was made (recorded, pending, declined, off, failed), and why.</param>
public sealed record CallExtras(string? TranscriptText, int? RecordingDurationSeconds, string? ReceptionStatus, string? FailureReason, string? Purpose,
    string? RecordingStatus = null, string? RecordingStatusReason = null);
