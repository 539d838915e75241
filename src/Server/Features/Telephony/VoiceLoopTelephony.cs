using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Twilio.Exceptions;
using Twilio.TwiML;
using Twilio.TwiML.Voice;
using Twilio.Types;

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
/// (or the lead's assigned agent) if they have a phone, else the office number. The dial's outcome comes back to
/// <see cref="TwilioPublicUrls.DialStatus"/>; a warm transfer's whisper is played to the person from
/// <see cref="TwilioPublicUrls.Whisper"/>. Refused when Twilio is not configured, the call is not a phone call
/// (browser test calls), there is no number, or Twilio says no — so the session can tell the caller instead.
/// </summary>
internal sealed class TwilioTransferCallControl(
    TwilioCalls twilio, TwilioPublicUrls urls, IOptions<TwilioOptions> options, IOptions<VoiceOptions> voice, IServiceScopeFactory scopes,
    ILogger<TwilioTransferCallControl> logger) : ICallControl
{
    /// <summary>A whisper rides in the URL Twilio fetches: one sentence, not a transcript.</summary>
    internal const int MaxWhisperChars = 300;

    public async Task<TransferResult> TransferAsync(VoiceCall call, string reason, string? whisper, CancellationToken cancellationToken)
    {
        if (!call.CallSid.StartsWith("CA", StringComparison.Ordinal)) return Refuse(call, reason, "not a phone call");
        if (string.IsNullOrEmpty(options.Value.AccountSid) || string.IsNullOrEmpty(options.Value.AuthToken))
            return Refuse(call, reason, "Twilio REST is not configured");
        string? number;
        await using (var scope = scopes.CreateAsyncScope())
            number = await AgentPhoneAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), call, cancellationToken) ?? voice.Value.OfficePhone;
        if (string.IsNullOrWhiteSpace(number)) return Refuse(call, reason, "no phone number to transfer to");

        try
        {
            await twilio.RedirectAsync(call.CallSid, TransferTwiml(call.Id, number, whisper), cancellationToken);
            logger.LogInformation("Call {CallId}: Twilio is dialling a person ({Reason}, {Kind} transfer)", call.Id, reason, whisper is null ? "cold" : "warm");
            return TransferResult.Dialing;
        }
        catch (TwilioException ex)
        {
            logger.LogWarning(ex, "Twilio refused to transfer call {CallId}", call.Id);
            return TransferResult.Refused("Twilio refused the transfer: " + TwilioCalls.Describe(ex));
        }
    }

    /// <summary><c>&lt;Dial action=dial-status answerOnBridge&gt;&lt;Number url=whisper&gt;</c>: the caller hears ringing until the person answers.</summary>
    internal VoiceResponse TransferTwiml(int callId, string number, string? whisper)
    {
        var dial = new Dial(action: new Uri(urls.DialStatus(callId)), method: Twilio.Http.HttpMethod.Post,
            timeout: options.Value.TransferRingSeconds, answerOnBridge: true);
        var text = whisper is null ? null : TwiML.Clean(whisper).Trim();
        if (text is { Length: > MaxWhisperChars }) text = text[..MaxWhisperChars];
        dial.Number(new PhoneNumber(TwiML.Clean(number)),
            url: string.IsNullOrEmpty(text) ? null : new Uri(urls.Whisper(callId, text)),
            method: string.IsNullOrEmpty(text) ? null : Twilio.Http.HttpMethod.Post);
        return new VoiceResponse().Append(dial);
    }

    private TransferResult Refuse(VoiceCall call, string reason, string why)
    {
        logger.LogWarning("Cannot transfer call {CallId} ({Reason}): {Why}", call.Id, reason, why);
        return TransferResult.Refused(why);
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
