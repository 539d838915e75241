using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

/// <summary>
/// Finds the call an event is about: by any identifier the payload carries (as CallSid or ParentCallSid) or by
/// its conversation id, creating the row when none matches. A row created from a conversation id alone
/// (post_call_audio carries nothing else) is provisional — its CallSid is the conversation id — and is renamed
/// or merged into the real call once an event names the telephony SID, so the recording and the transcript end up
/// on one call whichever arrives first.
/// </summary>
public sealed class ElevenLabsCallResolver(TimeProvider time, ILogger<ElevenLabsCallResolver> logger)
{
    public static bool IsProvisional(Call call) => call.ConversationId is not null && call.CallSid == call.ConversationId;

    public async Task<Call> ResolveAsync(AppDbContext db, ElevenLabsEvent evt, CancellationToken cancellationToken)
    {
        var ids = evt.Identifiers.ToList();
        var conversation = evt.ConversationId;
        // Two query shapes rather than "conversation != null && …" inside one: EF evaluates such a test of a captured
        // variable by compiling it to a new delegate on every execution, and that steady stream of fresh code kept
        // the JIT from ever promoting the hot path to optimised code (seen in the webhook benchmark's profile).
        var candidates = conversation is null
            ? db.Calls.Where(c => ids.Contains(c.CallSid) || (c.ParentCallSid != null && ids.Contains(c.ParentCallSid)))
            : db.Calls.Where(c => ids.Contains(c.CallSid) || (c.ParentCallSid != null && ids.Contains(c.ParentCallSid)) || c.ConversationId == conversation);
        var matches = await candidates.ToListAsync(cancellationToken);

        var call = Pick(matches, evt, ids);
        if (call is null)
        {
            call = Create(evt);
            db.Calls.Add(call);
            logger.LogDebug("elevenlabs_call_created {CallSid} {ConversationId}", call.CallSid, conversation);
        }
        else if (evt.CallSid is { } sid && IsProvisional(call) && sid != call.CallSid)
        {
            logger.LogInformation("elevenlabs_call_sid_revealed {ConversationId} -> {CallSid}", call.CallSid, sid);
            call.CallSid = sid;
        }
        call.ConversationId ??= conversation;

        foreach (var other in matches.Where(m => m != call && IsProvisional(m) && m.ConversationId == call.ConversationId))
            await MergeAsync(db, other, call, cancellationToken);
        return call;
    }

    /// <summary>
    /// The common case without EF: the event's call, read untracked (<see cref="CallCandidatesQuery"/>), or a new
    /// unsaved one; the caller applies the event and writes it with <see cref="CallRowWriter"/>. Null when a
    /// provisional row must be renamed or merged — that rare case takes the tracked <see cref="ResolveAsync"/>.
    /// </summary>
    internal async Task<CallCandidatesQuery.Candidate?> TryResolveUntrackedAsync(AppDbContext db, ElevenLabsEvent evt, CancellationToken cancellationToken)
    {
        var candidates = await CallCandidatesQuery.FindAsync(db, evt.Identifiers, evt.ConversationId, cancellationToken);
        var matches = candidates.Select(c => c.Call).ToList();
        var call = Pick(matches, evt, evt.Identifiers);
        if (call is null)
        {
            var created = Create(evt);
            logger.LogDebug("elevenlabs_call_created {CallSid} {ConversationId}", created.CallSid, evt.ConversationId);
            return new(created, HasTurns: false);
        }
        if (evt.CallSid is { } sid && IsProvisional(call) && sid != call.CallSid) return null;
        var conversation = call.ConversationId ?? evt.ConversationId;
        if (matches.Any(m => m != call && IsProvisional(m) && m.ConversationId == conversation)) return null;
        return candidates.Single(c => c.Call == call);
    }

    private static Call? Pick(List<Call> matches, ElevenLabsEvent evt, IReadOnlyList<string> ids)
    {
        if (matches.Count == 0) return null;
        return matches.FirstOrDefault(c => c.CallSid == evt.CallSid)
               ?? ids.Select(id => matches.FirstOrDefault(c => c.CallSid == id && !IsProvisional(c))).FirstOrDefault(c => c is not null)
               ?? ids.Select(id => matches.FirstOrDefault(c => c.ParentCallSid == id)).FirstOrDefault(c => c is not null)
               ?? matches.FirstOrDefault(c => !IsProvisional(c))
               ?? matches[0];
    }

    private Call Create(ElevenLabsEvent evt)
    {
        var now = time.GetUtcNow();
        var direction = evt.Phone?.Direction ?? CallDirection.Inbound;
        var started = evt.StartTimeUnixSeconds is { } start ? DateTimeOffset.FromUnixTimeSeconds(start)
            : evt.DurationSeconds is { } duration && evt.Type != ElevenLabsEventTypes.CallStarted ? evt.EventTime.AddSeconds(-duration)
            : evt.EventTime;
        return new Call
        {
            // Without a telephony SID the conversation id stands in (a provisional row, see the class comment).
            CallSid = evt.CallSid ?? evt.Identifiers[0],
            ConversationId = evt.ConversationId,
            Direction = direction,
            FromNumber = direction == CallDirection.Inbound ? evt.Phone?.ExternalNumber : evt.Phone?.AgentNumber,
            ToNumber = direction == CallDirection.Inbound ? evt.Phone?.AgentNumber : evt.Phone?.ExternalNumber,
            Status = CallStatus.InProgress,
            StartedAt = started,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>Moves what the provisional row learnt (recording, transcript, turns) onto the real call and drops it.</summary>
    private async Task MergeAsync(AppDbContext db, Call provisional, Call into, CancellationToken cancellationToken)
    {
        logger.LogInformation("elevenlabs_call_merged {Provisional} into {CallSid}", provisional.CallSid, into.CallSid);
        into.RecordingBlobName ??= provisional.RecordingBlobName;
        into.RecordingDurationSeconds ??= provisional.RecordingDurationSeconds;
        into.TranscriptText ??= provisional.TranscriptText;
        into.TranscriptSummary ??= provisional.TranscriptSummary;
        into.CallerUsername ??= provisional.CallerUsername;
        into.ReceptionStatus ??= provisional.ReceptionStatus;
        into.ReceptionTimestamp ??= provisional.ReceptionTimestamp;
        into.WebhookProcessedAt ??= provisional.WebhookProcessedAt;
        into.EndedAt ??= provisional.EndedAt;
        into.DurationSeconds ??= provisional.DurationSeconds;
        var intoHasTurns = into.Id != 0 && await db.CallTurns.AnyAsync(t => t.CallId == into.Id, cancellationToken);
        var turns = await db.CallTurns.Where(t => t.CallId == provisional.Id).ToListAsync(cancellationToken);
        if (intoHasTurns) db.CallTurns.RemoveRange(turns);
        else foreach (var turn in turns) into.Turns.Add(turn);
        db.Calls.Remove(provisional);
        // The recording URL names the call id; the surviving row gets its own once it has one.
        if (into.RecordingBlobName is not null) into.RecordingUrl = null;
    }
}
