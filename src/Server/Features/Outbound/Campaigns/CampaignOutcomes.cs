using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Notifications;
using EstateVoice.Server.Features.Telephony;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;


namespace EstateVoice.Server.Features.Outbound.Campaigns;

/// <summary>
/// What a campaign call came to: Twilio's answering-machine result (a machine gets the voicemail message) and its final
/// status, which moves the lead's row on (answered, or the next attempt after the spacing, or done), and the campaign
/// to completed once nothing is left to dial.
/// </summary>
public sealed partial class CampaignOutcomes(AppDbContext db, TwilioCalls twilio, TimeProvider time, INotifier notifier, ILogger<CampaignOutcomes> logger)
{
    /// <summary>Handles <c>AnsweredBy</c> for a campaign call; false when the call is not one (nothing to do).</summary>
    public async Task<bool> AnsweredByAsync(string callSid, string answeredBy, CancellationToken ct)
    {
        var call = await db.Calls.SingleOrDefaultAsync(c => c.CallSid == callSid, ct);
        if (call?.CampaignId is not { } campaignId) return false;
        var row = await db.CampaignLeads.SingleOrDefaultAsync(r => r.LastCallId == call.Id, ct);
        var now = time.GetUtcNow();
        if (row is not null)
        {
            row.AnsweredBy = Clip(answeredBy, 32);
            row.UpdatedAt = now;
        }
        var machine = answeredBy.StartsWith("machine", StringComparison.OrdinalIgnoreCase) || answeredBy.Equals("fax", StringComparison.OrdinalIgnoreCase);
        if (machine)
        {
            call.Outcome = CallOutcome.Voicemail;
            call.UpdatedAt = now;
        }
        await db.SaveChangesAsync(ct);
        if (!machine || TwilioCallStatus.IsTerminal(call.Status)) return true;

        var message = await db.Campaigns.Where(c => c.Id == campaignId).Select(c => c.VoicemailMessage).SingleOrDefaultAsync(ct);
        // After the beep (machine_end_*), the message; a fax or a machine with no message: hang up.
        var twiml = !string.IsNullOrWhiteSpace(message) && answeredBy.StartsWith("machine_end", StringComparison.OrdinalIgnoreCase)
            ? TwiML.Say(message).Hangup()
            : TwiML.HangUp();
        try
        {
            await twilio.RedirectAsync(callSid, twiml, ct);
        }
        catch (Twilio.Exceptions.TwilioException ex)
        {
            // The call may have ended meanwhile; its final status still records the voicemail outcome.
            LogRedirectFailed(ex, callSid);
        }
        return true;
    }

    /// <summary>Moves the lead's row on from the call's final status (called from Twilio's status callback).</summary>
    public async Task CallEndedAsync(int callId, CancellationToken ct)
    {
        var call = await db.Calls.AsNoTracking().Where(c => c.Id == callId)
            .Select(c => new { c.CampaignId, c.Status, c.Outcome }).SingleOrDefaultAsync(ct);
        if (call?.CampaignId is not { } campaignId || !TwilioCallStatus.IsTerminal(call.Status)) return;
        var row = await db.CampaignLeads.SingleOrDefaultAsync(r => r.LastCallId == callId && r.State == CampaignLeadState.Dialing && r.ClaimedBy == null, ct);
        if (row is null) return; // already moved (a replayed callback) or not linked yet (the dialer applies it once it links)
        var campaign = await db.Campaigns.AsNoTracking().Where(c => c.Id == campaignId)
            .Select(c => new { c.MaxAttempts, c.SpacingMinutes, c.State }).SingleAsync(ct);
        var now = time.GetUtcNow();
        var outcome = Outcome(call.Status, call.Outcome, row.AnsweredBy);
        var retry = outcome != CampaignLeadState.Answered && row.Attempts < campaign.MaxAttempts
                    && campaign.State is CampaignState.Running or CampaignState.Paused;
        row.State = outcome == CampaignLeadState.Answered ? CampaignLeadState.Answered : retry ? outcome : CampaignLeadState.Done;
        row.NextAttemptAt = retry ? now + TimeSpan.FromMinutes(campaign.SpacingMinutes) : null;
        row.ReasonCode = outcome == CampaignLeadState.Answered ? null : SnakeCase(outcome);
        row.Reason = null;
        row.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await CompleteIfFinishedAsync(db, notifier, campaignId, now, ct);
    }

    /// <summary>Twilio's final status and the AMD result as the lead's outcome.</summary>
    public static CampaignLeadState Outcome(CallStatus status, CallOutcome? callOutcome, string? answeredBy) => status switch
    {
        CallStatus.Completed when callOutcome == CallOutcome.Voicemail || answeredBy?.StartsWith("machine", StringComparison.OrdinalIgnoreCase) == true
            => CampaignLeadState.Voicemail,
        CallStatus.Completed => CampaignLeadState.Answered,
        CallStatus.Busy => CampaignLeadState.Busy,
        CallStatus.NoAnswer => CampaignLeadState.NoAnswer,
        _ => CampaignLeadState.Failed,
    };

    /// <summary>
    /// Running → completed once no row waits or dials (one conditional UPDATE: nodes racing complete it once, so the
    /// campaign's creator, or with none the Managers, is told once).
    /// </summary>
    public static async Task CompleteIfFinishedAsync(AppDbContext db, INotifier notifier, int campaignId, DateTimeOffset now, CancellationToken ct)
    {
        var waiting = CampaignLead.Waiting;
        // A built-in campaign (speed to lead) runs on with nothing to dial: the next web-form lead joins it.
        var completed = await db.Campaigns.Where(c => c.Id == campaignId && c.State == CampaignState.Running && c.BuiltIn == null
                                      && !db.CampaignLeads.Any(r => r.CampaignId == campaignId
                                                                    && (r.State == CampaignLeadState.Dialing || waiting.Contains(r.State))))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.State, CampaignState.Completed).SetProperty(c => c.EndedAt, now)
                .SetProperty(c => c.UpdatedAt, now), ct);
        if (completed != 1) return;
        var campaign = await db.Campaigns.AsNoTracking().Where(c => c.Id == campaignId).Select(c => new { c.Name, c.CreatedById }).SingleAsync(ct);
        await notifier.PublishAsync(NotificationMessages.CampaignFinished(campaign.CreatedById, campaignId, campaign.Name), ct);
    }

    private static string SnakeCase(CampaignLeadState state) => Infrastructure.Http.SnakeCaseEnum.Name(state);

    private static string Clip(string value, int max) => value.Length > max ? value[..max] : value;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: the answering machine redirect failed")]
    private partial void LogRedirectFailed(Exception exception, string callSid);
}
