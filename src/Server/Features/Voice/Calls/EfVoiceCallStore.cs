using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Calls.Analysis;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Voice.Calls;

/// <summary>
/// The voice loop's call rows in the database. A session outlives any request scope, so every operation opens its
/// own short-lived scope (and DbContext) instead of holding one for the length of the call. Turns, the one write per
/// turn of every call, go through the node's <see cref="TurnBatchWriter"/> (one transaction for many calls' turns).
/// </summary>
public sealed class EfVoiceCallStore(IServiceScopeFactory scopes, TimeProvider time, IOptions<CallLeaseOptions> leases, TurnBatchWriter turnWriter,
    CallAnalysisQueue analyses, PhoneNormalizer phones) : IVoiceCallStore
{
    private readonly string _node = leases.Value.EffectiveNodeId;
    private readonly TimeSpan _lease = leases.Value.Lease;

    /// <summary>The From of a browser test call: a label, not a number, so it never matches a lead.</summary>
    public const string BrowserCaller = "browser";

    private const int MaxFailureReason = 500;
    private const int MaxTurnText = 8000;

    private static readonly CallStatus[] FinalStatuses =
        [CallStatus.Completed, CallStatus.Busy, CallStatus.Failed, CallStatus.NoAnswer, CallStatus.Canceled];

    public async Task<StreamClaim> ClaimStreamAsync(int callId, string? streamToken, string? streamSid, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();

        if (!string.IsNullOrEmpty(streamToken))
        {
            // One conditional UPDATE is the whole admission: of two sockets racing with the same token only one
            // sees a row affected. Comparing hashes in SQL leaks nothing useful: the token has 256 random bits.
            var hash = StreamTokens.Hash(streamToken);
            var claimed = await db.Calls
                .Where(c => c.Id == callId && c.StreamTokenHash == hash && c.StreamStartedAt == null && c.EndedAt == null
                            && c.Status != CallStatus.Completed && c.Status != CallStatus.Busy && c.Status != CallStatus.Failed
                            && c.Status != CallStatus.NoAnswer && c.Status != CallStatus.Canceled)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.StreamTokenHash, (string?)null)
                    .SetProperty(c => c.StreamStartedAt, now)
                    .SetProperty(c => c.LeaseOwner, _node)
                    .SetProperty(c => c.LeaseExpiresAt, now + _lease)
                    .SetProperty(c => c.Status, CallStatus.InProgress)
                    .SetProperty(c => c.AnsweredAt, c => c.AnsweredAt ?? now)
                    .SetProperty(c => c.UpdatedAt, now), cancellationToken).ConfigureAwait(false);
            if (claimed == 1)
                return new StreamClaim(StreamClaimResult.Accepted, await LinkLeadAsync(db, phones, callId, now, cancellationToken).ConfigureAwait(false));
        }

        var row = await db.Calls.AsNoTracking().Where(c => c.Id == callId)
            .Select(c => new { c.EndedAt, c.Status, c.StreamStartedAt }).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var result = row is null ? StreamClaimResult.UnknownCall
            : row.EndedAt is not null || FinalStatuses.Contains(row.Status) ? StreamClaimResult.CallFinished
            : row.StreamStartedAt is not null ? StreamClaimResult.AlreadyStreaming
            : StreamClaimResult.BadToken;
        return new StreamClaim(result, null);
    }

    /// <summary>
    /// Links the caller's lead (Twilio's From normalised to E.164, as leads' phones are stored) and, when the call has
    /// no agent yet, the lead's agent.
    /// </summary>
    private static async Task<VoiceCall> LinkLeadAsync(AppDbContext db, PhoneNormalizer phones, int callId, DateTimeOffset now, CancellationToken ct)
    {
        var call = await db.Calls.SingleAsync(c => c.Id == callId, ct).ConfigureAwait(false);
        if (call.LeadId is null && call.FromNumber != BrowserCaller && phones.Normalize(call.FromNumber) is { } from)
        {
            var lead = await db.Leads.AsNoTracking().Where(l => l.Phone == from)
                .OrderByDescending(l => l.UpdatedAt).ThenByDescending(l => l.Id)
                .Select(l => new { l.Id, l.AssignedAgentId }).FirstOrDefaultAsync(ct).ConfigureAwait(false);
            if (lead is not null)
            {
                call.LeadId = lead.Id;
                call.AgentId ??= lead.AssignedAgentId;
                call.UpdatedAt = now;
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
            }
        }
        return new VoiceCall(call.Id, call.CallSid, call.FromNumber, call.LeadId, call.AgentId,
            AnsweredAt: call.AnsweredAt, RecordingStatus: call.RecordingStatus, RecordingStatusReason: call.RecordingStatusReason);
    }

    public async Task<VoiceCall> CreateBrowserCallAsync(int? userId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();
        var call = new Call
        {
            CallSid = "BR" + Guid.NewGuid().ToString("N"), Direction = CallDirection.Inbound, FromNumber = BrowserCaller,
            Status = CallStatus.InProgress, IsTest = true, StartedAt = now, AnsweredAt = now, StreamStartedAt = now,
            LeaseOwner = _node, LeaseExpiresAt = now + _lease, AgentId = userId, CreatedAt = now, UpdatedAt = now,
        };
        db.Calls.Add(call);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new VoiceCall(call.Id, call.CallSid, call.FromNumber, null, userId, IsTest: true);
    }

    public async Task<bool> RenewLeaseAsync(int callId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var expires = time.GetUtcNow() + _lease;
        // Only our own lease on a call still running: a call already finalised (by a sweeper, by Twilio) stays as it is.
        return await db.Calls.Where(c => c.Id == callId && c.LeaseOwner == _node && c.EndedAt == null && c.Status == CallStatus.InProgress)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LeaseExpiresAt, expires), cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Completes once the turn's row is committed (with other calls' turns, in one batch).</summary>
    public Task AppendTurnAsync(int callId, CallTurnRecord turn, CancellationToken cancellationToken) =>
        turnWriter.AppendAsync(new CallTurn
        {
            CallId = callId, Sequence = turn.Sequence, Speaker = Map(turn.Speaker), Text = Truncate(turn.Text, MaxTurnText),
            StartMs = turn.StartMs, EndMs = turn.EndMs, ToolCallsJson = turn.ToolCallsJson, Interrupted = turn.Interrupted,
            SttLatencyMs = turn.SttLatencyMs, LlmFirstTokenMs = turn.LlmFirstTokenMs, TtsFirstByteMs = turn.TtsFirstByteMs,
            FirstAudioMs = turn.FirstAudioMs, CreatedAt = time.GetUtcNow(),
        }, cancellationToken);

    public async Task<IReadOnlyList<EarlierTurn>> LoadTurnsAsync(int callId, CancellationToken cancellationToken)
    {
        await turnWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var turns = await db.CallTurns.AsNoTracking().Where(t => t.CallId == callId).OrderBy(t => t.Sequence)
            .Select(t => new { t.Sequence, t.Speaker, t.Text }).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. turns.Select(t => new EarlierTurn(t.Sequence, t.Speaker switch
        {
            Speaker.Caller => TurnSpeaker.Caller,
            Speaker.Agent => TurnSpeaker.Agent,
            _ => TurnSpeaker.System,
        }, t.Text))];
    }

    public async Task MarkFailureAsync(int callId, string reason, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();
        var text = Truncate(reason, MaxFailureReason);
        // The first failure is the one that explains the call; later ones are usually consequences of it.
        await db.Calls.Where(c => c.Id == callId && c.FailureReason == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.FailureReason, text).SetProperty(c => c.UpdatedAt, now), cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task FinishCallAsync(int callId, CallEnd end, CancellationToken cancellationToken)
    {
        // The call's turns still queued are written first: the final status comes after them (and the transcript from them).
        await turnWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var call = await db.Calls.SingleOrDefaultAsync(c => c.Id == callId, cancellationToken).ConfigureAwait(false);
        if (call is null || call.EndedAt is not null && call.Outcome is not null) return;

        // Twilio's status callback may have ended the call already (EndedAt, Completed); the outcome is still ours to set.
        if (!FinalStatuses.Contains(call.Status) || end.Status == CallEndStatus.Failed)
            call.Status = end.Status == CallEndStatus.Failed ? CallStatus.Failed : CallStatus.Completed;
        call.EndedAt ??= end.EndedAt;
        call.DurationSeconds ??= end.DurationSeconds;
        call.Outcome = end.Outcome;
        if (end.FailureReason is not null) call.FailureReason ??= Truncate(end.FailureReason, MaxFailureReason);
        call.LeadId = end.LeadId ?? call.LeadId;
        if (end.RecordingStatus is not null)
            (call.RecordingStatus, call.RecordingStatusReason) = (end.RecordingStatus, end.RecordingStatusReason);
        if (call.LeadId is null && call.FromNumber != BrowserCaller && phones.Normalize(call.FromNumber) is { } from)
            call.LeadId = await db.Leads.Where(l => l.Phone == from).OrderByDescending(l => l.Id)
                .Select(l => (int?)l.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(call.TranscriptText))
            call.TranscriptText = await CallTranscript.BuildAsync(db, callId, cancellationToken).ConfigureAwait(false) ?? call.TranscriptText;
        call.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await analyses.EnqueueAsync(callId, cancellationToken).ConfigureAwait(false);
    }

    private static Speaker Map(TurnSpeaker speaker) => speaker switch
    {
        TurnSpeaker.Caller => Speaker.Caller,
        TurnSpeaker.Agent => Speaker.Agent,
        _ => Speaker.System,
    };

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
