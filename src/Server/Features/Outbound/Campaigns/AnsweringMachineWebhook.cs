using EstateVoice.Server.Features.Telephony;
using EstateVoice.Server.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EstateVoice.Server.Features.Outbound.Campaigns;

/// <summary>
/// <c>POST /twilio/voice/amd</c>: Twilio's asynchronous answering-machine detection result for a campaign call, signed
/// like every Twilio webhook. A machine (after its beep) hears the campaign's voicemail message and the call hangs up.
/// </summary>
public static class AnsweringMachineWebhook
{
    public static IEndpointRouteBuilder MapAnsweringMachineWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(TwilioPublicUrls.AnsweringMachinePath, async Task<Results<NoContent, ValidationProblem>> (
                HttpContext http, CampaignOutcomes outcomes, CancellationToken ct) =>
            {
                var form = (IFormCollection)http.Items[TwilioSignatureFilter.FormItem]!;
                var callSid = form["CallSid"].ToString();
                var answeredBy = form["AnsweredBy"].ToString();
                if (string.IsNullOrWhiteSpace(callSid)) return Problems.Validation("CallSid", "CallSid is required.");
                if (string.IsNullOrWhiteSpace(answeredBy) || answeredBy.Length > 32)
                    return Problems.Validation("AnsweredBy", "AnsweredBy is required.");
                await outcomes.AnsweredByAsync(callSid, answeredBy.Trim(), ct);
                return TypedResults.NoContent();
            })
            .WithTags("Telephony").AllowAnonymous().DisableAntiforgery().AddEndpointFilter<TwilioSignatureFilter>();
        return app;
    }
}
