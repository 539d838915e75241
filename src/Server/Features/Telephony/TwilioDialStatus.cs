using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Notifications;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Twilio.TwiML;

namespace EstateVoice.Server.Features.Telephony;

/// <summary>
/// The transfer's <c>&lt;Dial action&gt;</c> report (<c>POST /twilio/voice/dial-status?call_id=</c>). The first stream's
/// session has finished the call as Transferred by then (Twilio stopped our stream when it took the redirect). A dial
/// that connected keeps that and hangs up; one that nobody answered, with the caller still on the line, re-opens the
/// call (in progress, outcome TransferFailed, a new stream token) and sends the caller back to the agent on a new
/// stream marked <c>resume=transfer_failed</c>. Anything else — an unknown call, a call that was never transferred or
/// whose report was already handled (a replay) — changes nothing and gets a plain hang-up. Each attempt's report is
/// known by its <c>DialCallSid</c> (stored on the call once acted on), so a replay is recognised at once and a resumed
/// call's second transfer is never mistaken for one, however soon its dial fails.
/// </summary>
public sealed class TwilioDialStatus(AppDbContext db, TwilioPublicUrls urls, TimeProvider time, IOptions<TwilioOptions> options,
    INotifier notifier, ILogger<TwilioDialStatus> logger)
{
    private static readonly TimeSpan SettlePoll = TimeSpan.FromMilliseconds(200);

    public async Task<VoiceResponse> RecordAsync(int callId, IFormCollection form, CancellationToken ct)
    {
        var dialStatus = form["DialCallStatus"].ToString().Trim().ToLowerInvariant();
        var callerStatus = form["CallStatus"].ToString().Trim().ToLowerInvariant();
        var dialCallSid = form["DialCallSid"].ToString().Trim();
        var known = await db.Calls.AsNoTracking().Where(c => c.Id == callId).Select(c => new { c.CallSid, c.LastDialCallSid }).SingleOrDefaultAsync(ct);
        if (known is null || known.CallSid != form["CallSid"].ToString())
        {
            logger.LogWarning("Dial status {DialStatus} for call {CallId} ignored: no such call, or not the CallSid Twilio reports", dialStatus, callId);
            return TwiML.HangUp();
        }
        if (dialCallSid.Length > 0 && dialCallSid == known.LastDialCallSid)
        {
            logger.LogWarning("Dial status {DialStatus} for call {CallId} ignored: a replay of the report for dial {DialCallSid}", dialStatus, callId, dialCallSid);
            return TwiML.HangUp();
        }
        var call = await SettledCallAsync(callId, ct);
        if (call is null) return TwiML.HangUp();
        // Still streaming after the wait: the session that asked for this transfer never finished the call. (Without a
        // DialCallSid a re-opened call's live stream is the only sign of a replay: the old rule.)
        if (IsStreaming(call) && (dialCallSid.Length > 0 || call.Outcome != CallOutcome.TransferFailed))
            return await GiveUpAsync(call, dialStatus, dialCallSid, ct);
        if (call.EndedAt is null || call.Outcome != CallOutcome.Transferred)
        {
            // Never transferred, or this report was already acted on (the call re-opened as TransferFailed, or later ended).
            logger.LogWarning("Dial status {DialStatus} for call {CallId} ignored: the call is {Status}/{Outcome}, not a transfer awaiting its result",
                dialStatus, call.Id, call.Status, call.Outcome);
            return TwiML.HangUp();
        }

        switch (dialStatus)
        {
            case "completed" or "answered":
                logger.LogInformation("Call {CallId}: the transfer connected ({DialStatus})", call.Id, dialStatus);
                call.Status = CallStatus.Completed;
                call.LastDialCallSid = NullIfEmpty(dialCallSid);
                call.UpdatedAt = time.GetUtcNow();
                await db.SaveChangesAsync(ct);
                return TwiML.HangUp();
            case "no-answer" or "busy" or "failed" or "canceled" when callerStatus == "in-progress":
                return await ReopenAsync(call, dialStatus, dialCallSid, ct);
            case "no-answer" or "busy" or "failed" or "canceled":
                logger.LogInformation("Call {CallId}: the transfer failed ({DialStatus}) and the caller had hung up", call.Id, dialStatus);
                call.Outcome = CallOutcome.TransferFailed;
                call.LastDialCallSid = NullIfEmpty(dialCallSid);
                call.UpdatedAt = time.GetUtcNow();
                await db.SaveChangesAsync(ct);
                await NotifyMissedAsync(call, dialStatus, ct);
                return TwiML.HangUp();
            default:
                logger.LogWarning("Call {CallId}: unknown DialCallStatus '{DialStatus}', hanging up", call.Id, dialStatus);
                return TwiML.HangUp();
        }
    }

    /// <summary>
    /// The call, once the stream's session has written its end: a fast "busy" can arrive while the session that asked
    /// for the transfer is still flushing, and re-opening under it would be overwritten by its final write. (A replayed
    /// report for a re-opened call whose new stream is live waits here too, then changes nothing.)
    /// </summary>
    private async Task<Call?> SettledCallAsync(int callId, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + options.Value.TransferSettleTimeout;
        while (true)
        {
            var call = await db.Calls.AsNoTracking().SingleOrDefaultAsync(c => c.Id == callId, ct);
            if (call is null || !IsStreaming(call) || time.GetUtcNow() >= deadline)
                return call is null ? null : await db.Calls.SingleAsync(c => c.Id == callId, ct);
            await Task.Delay(SettlePoll, time, ct);
        }
    }

    /// <summary>Whoever the caller was for (the call's agent, else the lead's) hears of it; with nobody, the Managers.</summary>
    private async Task NotifyMissedAsync(Call call, string dialStatus, CancellationToken ct)
    {
        var agentId = call.AgentId ?? (call.LeadId is { } leadId
            ? await db.Leads.AsNoTracking().Where(l => l.Id == leadId).Select(l => l.AssignedAgentId).SingleOrDefaultAsync(ct)
            : null);
        await notifier.PublishAsync(NotificationMessages.TransferMissed(agentId, call.Id, call.FromNumber ?? "an unknown number", dialStatus), ct);
    }

    /// <summary>A session is on the call and has not written its end (after a transfer: it is still finishing).</summary>
    private static bool IsStreaming(Call call) => call is { EndedAt: null, StreamStartedAt: not null };

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private async Task<VoiceResponse> ReopenAsync(Call call, string dialStatus, string dialCallSid, CancellationToken ct)
    {
        var (token, hash) = StreamTokens.CreateWithHash();
        var now = time.GetUtcNow();
        // Conditional on the state just read: of two copies of the same report racing, only one re-opens the call.
        var reopened = await db.Calls
            .Where(c => c.Id == call.Id && c.Outcome == CallOutcome.Transferred && c.EndedAt != null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, CallStatus.InProgress)
                .SetProperty(c => c.Outcome, CallOutcome.TransferFailed)
                .SetProperty(c => c.StreamTokenHash, hash)
                .SetProperty(c => c.StreamStartedAt, (DateTimeOffset?)null)
                .SetProperty(c => c.EndedAt, (DateTimeOffset?)null)
                .SetProperty(c => c.DurationSeconds, (int?)null)
                .SetProperty(c => c.LeaseOwner, (string?)null)
                .SetProperty(c => c.LeaseExpiresAt, (DateTimeOffset?)null)
                // Rebuilt from all turns, both streams', when the resumed session ends.
                .SetProperty(c => c.TranscriptText, (string?)null)
                .SetProperty(c => c.LastDialCallSid, NullIfEmpty(dialCallSid))
                .SetProperty(c => c.UpdatedAt, now), ct);
        if (reopened != 1)
        {
            logger.LogWarning("Dial status {DialStatus} for call {CallId} ignored: another report re-opened it first", dialStatus, call.Id);
            return TwiML.HangUp();
        }
        logger.LogInformation("Call {CallId}: nobody took the transfer ({DialStatus}); the caller goes back to the agent", call.Id, dialStatus);
        await NotifyMissedAsync(call, dialStatus, ct);
        return TwiML.CallStream(urls.MediaStream, call, token, StreamTokens.ResumeAfterFailedTransfer,
            new KeyValuePair<string, string>(StreamTokens.DialStatusParameter, dialStatus));
    }

    /// <summary>
    /// The first session never wrote the call's end in time. Re-opening under it would be overwritten, so the caller
    /// is told and the call finished here as TransferFailed (the session's late write then leaves it alone).
    /// </summary>
    private async Task<VoiceResponse> GiveUpAsync(Call call, string dialStatus, string dialCallSid, CancellationToken ct)
    {
        logger.LogWarning("Dial status {DialStatus} for call {CallId}: the first stream's session had not finished the call after {Wait}; ending it",
            dialStatus, call.Id, options.Value.TransferSettleTimeout);
        var now = time.GetUtcNow();
        var connected = dialStatus is "completed" or "answered";
        call.Status = CallStatus.Completed;
        call.Outcome = connected ? CallOutcome.Transferred : CallOutcome.TransferFailed;
        call.EndedAt = now;
        call.StreamTokenHash = null;
        call.LastDialCallSid = NullIfEmpty(dialCallSid);
        call.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return connected
            ? TwiML.HangUp()
            : TwiML.Say("Sorry, nobody could take your call right now. We will call you back.").Hangup();
    }
}
