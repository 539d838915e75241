using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Telephony;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Outbound.Campaigns;

/// <summary>
/// Claimed leads to placed calls: the campaign's window, the gate (one batch per pass), a paced slot each, Twilio (with answering-machine
/// detection), then the call row linked to the campaign with its goal as the purpose.
/// </summary>
public sealed partial class CampaignDialer(
    IServiceScopeFactory scopes, CampaignClaims claims, DialPacer pacer, IDialGate gate, TwilioCalls twilio, TwilioPublicUrls urls,
    IOptions<TwilioOptions> twilioOptions, TimeProvider time, ILogger<CampaignDialer> logger)
{
    /// <summary>Without a Twilio account the lead waits and is looked at again this much later.</summary>
    public static readonly TimeSpan TwilioMissingWait = TimeSpan.FromMinutes(5);

    /// <summary>
    /// One pass's claims of one campaign: read together, asked of the gate as one batch (its batch form reads the
    /// do-not-call list and recent attempts once), then dialed one by one through the pacer. An opt-out that lands
    /// after the batch check still stops its dial: it skips the claimed row, and the claim is re-checked right before the dial.
    /// </summary>
    public async Task DialManyAsync(int campaignId, IReadOnlyList<CampaignClaim> batch, string node, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return;
        Campaign? campaign;
        Dictionary<int, Leads.Lead> leads;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == campaignId, cancellationToken);
            var ids = batch.Select(c => c.LeadId).ToList();
            leads = await db.Leads.AsNoTracking().Where(l => ids.Contains(l.Id)).ToDictionaryAsync(l => l.Id, cancellationToken);
        }
        if (campaign is null) return; // deleted meanwhile: the cascade took the rows too
        var now = time.GetUtcNow();
        var asked = new List<(CampaignClaim Claim, Leads.Lead Lead)>();
        foreach (var claim in batch)
        {
            if (!leads.TryGetValue(claim.LeadId, out var lead)) continue; // deleted meanwhile: the cascade took the row too
            if (campaign.State != CampaignState.Running)
                await claims.PostponeAsync(claim, node, now, null, null, cancellationToken); // paused between claim and dial: back in line
            // The built-in campaign too: made open every hour of every day, but a Manager may narrow it, and each pass reads it afresh.
            else if (CampaignWindow.NextOpening(campaign, lead.TimeZone, now) is { } opening)
                await claims.PostponeAsync(claim, node, opening, DialRefusals.OutsideCallingHours, "Outside the campaign's calling window.", cancellationToken);
            else asked.Add((claim, lead));
        }
        if (asked.Count == 0) return;
        var kind = campaign.BuiltIn == SpeedToLead.SpeedToLeadCampaign.Key ? DialKind.SpeedToLead : DialKind.Campaign;
        var decisions = await gate.CheckManyAsync(asked.Select(a => new DialGateRequest(a.Lead, kind, campaign.Id)).ToList(), cancellationToken);
        for (var i = 0; i < asked.Count; i++)
        {
            var (claim, lead) = asked[i];
            if (decisions[i] is { Allowed: false } decision)
            {
                var code = decision.Code ?? "refused";
                if (decision.RetryAt is { } retryAt) await claims.PostponeAsync(claim, node, retryAt, code, decision.Reason, cancellationToken);
                else await claims.SkipAsync(claim, node, code, decision.Reason, cancellationToken);
                continue;
            }
            await PlaceAsync(claim, node, campaign, lead, cancellationToken);
        }
    }

    private async Task PlaceAsync(CampaignClaim claim, string node, Campaign campaign, Leads.Lead lead, CancellationToken cancellationToken)
    {
        if (!twilioOptions.Value.CanPlaceCalls)
        {
            await claims.PostponeAsync(claim, node, time.GetUtcNow() + TwilioMissingWait, "twilio_not_configured",
                "Outbound calling needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_PHONE_NUMBER.", cancellationToken);
            return;
        }

        await pacer.WaitForSlotAsync(cancellationToken);
        // The claim must still be ours right before the dial (a slow node whose claim expired lets the other node dial).
        if (!await claims.StillHeldAsync(claim, node, cancellationToken)) return;
        var from = campaign.CallerId ?? twilioOptions.Value.PhoneNumber ?? "";
        Twilio.Rest.Api.V2010.Account.CallResource placed;
        try
        {
            placed = await twilio.CreateCallAsync(lead.Phone, urls.Webhook, urls.StatusCallback, cancellationToken,
                from: from, asyncAmdCallback: urls.AnsweringMachine);
        }
        catch (Twilio.Exceptions.TwilioException ex)
        {
            LogDialFailed(ex, campaign.Id, lead.Id);
            await RecordFailedDialAsync(claim, node, campaign, TwilioCalls.Describe(ex), cancellationToken);
            return;
        }
        await RecordPlacedAsync(claim, node, campaign, lead, from, placed, cancellationToken);
    }

    private async Task RecordPlacedAsync(CampaignClaim claim, string node, Campaign campaign, Leads.Lead lead, string from,
        Twilio.Rest.Api.V2010.Account.CallResource placed, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();
        // The status callback may already have made the row (it can beat Twilio's answer to us); then we link it.
        var call = await db.Calls.SingleOrDefaultAsync(c => c.CallSid == placed.Sid, ct);
        if (call is null)
        {
            call = new Call
            {
                CallSid = placed.Sid, Direction = CallDirection.Outbound, FromNumber = from, ToNumber = lead.Phone,
                Status = TwilioCallStatus.Parse(placed.Status?.ToString()) ?? CallStatus.Queued, StartedAt = now, CreatedAt = now, UpdatedAt = now,
            };
            db.Calls.Add(call);
        }
        call.LeadId = lead.Id;
        call.CampaignId = campaign.Id;
        call.Purpose = campaign.Goal;
        call.AgentId ??= lead.AssignedAgentId;
        await db.SaveChangesAsync(ct);
        var callId = call.Id;
        var updated = await CampaignClaims.Held(db, claim, node).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Attempts, claim.Attempt).SetProperty(r => r.LastCallId, callId).SetProperty(r => r.LastCallSid, placed.Sid)
            .SetProperty(r => r.ClaimedBy, (string?)null).SetProperty(r => r.ClaimExpiresAt, (DateTimeOffset?)null)
            .SetProperty(r => r.NextAttemptAt, (DateTimeOffset?)null).SetProperty(r => r.AnsweredBy, (string?)null)
            .SetProperty(r => r.ReasonCode, (string?)null).SetProperty(r => r.Reason, (string?)null)
            .SetProperty(r => r.UpdatedAt, now), ct);
        if (updated == 0) LogClaimLostAfterDial(campaign.Id, lead.Id, placed.Sid);
        // A final status that arrived before this link could not move the row: apply it now.
        if (TwilioCallStatus.IsTerminal(call.Status))
            await scope.ServiceProvider.GetRequiredService<CampaignOutcomes>().CallEndedAsync(call.Id, ct);
    }

    /// <summary>Twilio refused the call (a bad number, our account): counts as a failed attempt, retried after the spacing.</summary>
    private async Task RecordFailedDialAsync(CampaignClaim claim, string node, Campaign campaign, string error, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();
        var last = claim.Attempt >= campaign.MaxAttempts;
        await CampaignClaims.Held(db, claim, node).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Attempts, claim.Attempt)
            .SetProperty(r => r.State, last ? CampaignLeadState.Done : CampaignLeadState.Failed)
            .SetProperty(r => r.NextAttemptAt, last ? null : now + TimeSpan.FromMinutes(campaign.SpacingMinutes))
            .SetProperty(r => r.ClaimedBy, (string?)null).SetProperty(r => r.ClaimExpiresAt, (DateTimeOffset?)null)
            .SetProperty(r => r.ReasonCode, "dial_failed").SetProperty(r => r.Reason, CampaignClaims.Clip(error))
            .SetProperty(r => r.UpdatedAt, now), ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Campaign {CampaignId}: Twilio did not place the call to lead {LeadId}")]
    private partial void LogDialFailed(Exception exception, int campaignId, int leadId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Campaign {CampaignId}: the claim on lead {LeadId} was lost while call {CallSid} was placed")]
    private partial void LogClaimLostAfterDial(int campaignId, int leadId, string callSid);
}
