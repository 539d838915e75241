using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Telephony;

/// <summary>The voice loop's media-stream upgrade check: Twilio's signature over the stream URL (off only in demo mode without a token).</summary>
internal sealed class TwilioMediaStreamUpgradeValidator(
    TwilioRequestValidator validator, TwilioPublicUrls urls, ILogger<TwilioMediaStreamUpgradeValidator> logger)
    : IMediaStreamUpgradeValidator
{
    public bool IsValid(HttpRequest request)
    {
        var result = validator.CheckStreamUpgrade(request);
        if (result == TwilioSignatureResult.Invalid)
            logger.LogWarning("Refused a media stream upgrade with a missing or invalid signature (URL checked: {Url})", urls.MediaStream);
        return result != TwilioSignatureResult.Invalid;
    }
}

/// <summary>
/// The voice loop's hand-off to a human: redirects the live Twilio call to a <c>&lt;Dial&gt;</c> to the call's agent
/// (or the lead's assigned agent) if they have a phone, else the office number. False when Twilio is not configured
/// or the call is not a phone call (browser test calls), so the session can tell the caller instead.
/// </summary>
internal sealed class TwilioTransferCallControl(
    IOptions<TwilioOptions> options, IOptions<VoiceOptions> voice, IServiceScopeFactory scopes,
    ILogger<TwilioTransferCallControl> logger) : ICallControl
{
    public async Task<TransferResult> TransferAsync(VoiceCall call, string reason, string? whisper, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.Value.AccountSid) || string.IsNullOrEmpty(options.Value.AuthToken) || !call.CallSid.StartsWith("CA", StringComparison.Ordinal))
        {
            logger.LogWarning("Cannot transfer call {CallId} ({Reason}): not a Twilio call or Twilio REST is not configured", call.Id, reason);
            return TransferResult.Refused("not a Twilio call or Twilio REST is not configured");
        }
        // A scope per transfer: the typed HttpClient behind Twilio's REST client must not live as long as this singleton.
        await using var scope = scopes.CreateAsyncScope();
        var number = await AgentPhoneAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), call, cancellationToken) ?? voice.Value.OfficePhone;
        if (string.IsNullOrWhiteSpace(number)) return TransferResult.Refused("no number to transfer to");
        try
        {
            await scope.ServiceProvider.GetRequiredService<ITwilioCallControl>().TransferAsync(call.CallSid, number, cancellationToken);
            logger.LogInformation("Call {CallId} transferred ({Reason})", call.Id, reason);
            return TransferResult.Dialing;
        }
        catch (Exception ex) when (ex is TwilioApiException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning(ex, "Twilio refused to transfer call {CallId}", call.Id);
            return TransferResult.Refused("Twilio refused the redirect: " + ex.Message);
        }
    }

    private static async Task<string?> AgentPhoneAsync(AppDbContext db, VoiceCall call, CancellationToken cancellationToken)
    {
        var agentId = call.AgentId;
        if (agentId is null && call.LeadId is { } leadId)
            agentId = await db.Leads.Where(l => l.Id == leadId).Select(l => l.AssignedAgentId).SingleOrDefaultAsync(cancellationToken);
        if (agentId is null) return null;
        return await db.Users.Where(u => u.Id == agentId && u.IsActive && u.Phone != null).Select(u => u.Phone).SingleOrDefaultAsync(cancellationToken);
    }
}
