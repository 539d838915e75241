using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Telephony;

/// <summary>
/// Writes what Twilio tells us about a call: the row per CallSid (created once, however often Twilio retries),
/// its lead, and its status moving only forward.
/// </summary>
public sealed class TwilioCallRecorder(AppDbContext db, TimeProvider time, PhoneNormalizer phones, ILogger<TwilioCallRecorder> logger)
{
    /// <summary>Records an incoming voice request; returns the call and a fresh stream token, or no token when the call cannot stream.</summary>
    public async Task<(Call Call, string? StreamToken)> RecordVoiceRequestAsync(IFormCollection form, CancellationToken ct)
    {
        var status = TwilioCallStatus.Parse(form["CallStatus"]) ?? CallStatus.Ringing;
        var call = await FindOrAddAsync(form, status, ct);
        Advance(call, status, form);
        string? token = null;
        if (!TwilioCallStatus.IsTerminal(call.Status) && call.StreamStartedAt is null)
        {
            // A retried webhook gets a new token; only the TwiML Twilio finally acts on is usable.
            (token, var hash) = Voice.StreamTokens.CreateWithHash();
            call.StreamTokenHash = hash;
            call.UpdatedAt = time.GetUtcNow();
        }
        // A new call is one INSERT with its token: SQLite has one writer, and this runs for every call that rings.
        if (!await TrySaveAsync(call, ct)) return await RecordVoiceRequestAsync(form, ct);
        return (call, token);
    }

    public async Task<Call> RecordStatusAsync(IFormCollection form, CallStatus status, CancellationToken ct)
    {
        var call = await FindOrAddAsync(form, status, ct);
        Advance(call, status, form);
        if (!await TrySaveAsync(call, ct)) return await RecordStatusAsync(form, status, ct);
        return call;
    }

    /// <summary>
    /// Saves; false when the call was new and a retry of the same webhook inserted its row first (the unique CallSid):
    /// this request then records onto that row. Any other failure (a busy database, a lost connection) is not that
    /// race and goes up as itself (503, 500...).
    /// </summary>
    private async Task<bool> TrySaveAsync(Call call, CancellationToken ct)
    {
        var inserting = db.Entry(call).State == EntityState.Added;
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (inserting && DbErrors.IsUniqueViolation(e) && !ct.IsCancellationRequested)
        {
            db.Entry(call).State = EntityState.Detached;
            return false;
        }
    }

    private void Advance(Call call, CallStatus status, IFormCollection form)
    {
        var now = time.GetUtcNow();
        if (TwilioCallStatus.CanMove(call.Status, status))
        {
            logger.LogInformation("Call {CallSid}: {From} -> {To}", call.CallSid, call.Status, status);
            call.Status = status;
            call.UpdatedAt = now;
            if (status == CallStatus.InProgress) call.AnsweredAt ??= now;
        }
        // The first of ringing or answered, whatever order the callbacks come in (a lost ringing: the answer is the ring's latest bound).
        if (call.Direction == CallDirection.Outbound && status is CallStatus.Ringing or CallStatus.InProgress) call.FirstRingAt ??= now;
        if (!TwilioCallStatus.IsTerminal(status) || call.Status != status) return; // stale or not an end: nothing else to record
        call.EndedAt ??= now;
        call.StreamTokenHash = null; // a finished call can never stream
        if (int.TryParse(form["CallDuration"], out var seconds) && seconds >= 0) call.DurationSeconds = seconds;
        call.Outcome ??= status switch
        {
            CallStatus.Busy or CallStatus.NoAnswer => CallOutcome.NoAnswer,
            CallStatus.Failed => CallOutcome.Failed,
            CallStatus.Canceled => CallOutcome.Abandoned,
            _ => null,
        };
        call.UpdatedAt = now;
    }

    /// <summary>The call's tracked row, or a new one added to the context (saved by the caller, with its first changes).</summary>
    private async Task<Call> FindOrAddAsync(IFormCollection form, CallStatus status, CancellationToken ct)
    {
        var callSid = form["CallSid"].ToString();
        var call = await db.Calls.SingleOrDefaultAsync(c => c.CallSid == callSid, ct);
        if (call is not null)
        {
            await FillInAsync(call, form, ct);
            return call;
        }
        var now = time.GetUtcNow();
        call = new Call
        {
            CallSid = callSid,
            ParentCallSid = NullIfEmpty(form["ParentCallSid"]),
            Direction = TwilioCallStatus.ParseDirection(form["Direction"]),
            FromNumber = NullIfEmpty(form["From"]),
            ToNumber = NullIfEmpty(form["To"]),
            // Created at its first known status; Advance moves it on from there.
            Status = TwilioCallStatus.IsTerminal(status) ? CallStatus.Queued : status,
            StartedAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await FillInAsync(call, form, ct);
        db.Calls.Add(call);
        return call;
    }

    /// <summary>Links the lead whose phone is the other party (the caller inbound, the callee outbound).</summary>
    private async Task FillInAsync(Call call, IFormCollection form, CancellationToken ct)
    {
        call.FromNumber ??= NullIfEmpty(form["From"]);
        call.ToNumber ??= NullIfEmpty(form["To"]);
        if (call.LeadId is not null) return;
        // Lead phones are stored as PhoneNormalizer writes them, so the number Twilio reports is read the same way.
        var phone = phones.Normalize(call.Direction == CallDirection.Inbound ? call.FromNumber : call.ToNumber);
        if (phone is null) return;
        var lead = await db.Leads.AsNoTracking().Where(l => l.Phone == phone).OrderBy(l => l.Id)
            .Select(l => new { l.Id, l.AssignedAgentId }).FirstOrDefaultAsync(ct);
        if (lead is null) return;
        call.LeadId = lead.Id;
        call.AgentId ??= lead.AssignedAgentId;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
