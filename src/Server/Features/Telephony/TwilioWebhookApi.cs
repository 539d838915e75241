using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Twilio.TwiML;

namespace EstateVoice.Server.Features.Telephony;

/// <summary>
/// Twilio's requests: <c>POST /twilio/webhook</c> (answers TwiML that connects the media stream), <c>POST /twilio/status</c>,
/// and a transfer's <c>POST /twilio/voice/dial-status</c> (the Dial action) and <c>POST /twilio/voice/whisper</c> (what the
/// person hears before a warm transfer connects).
/// </summary>
public static class TwilioWebhookApi
{
    public static IEndpointRouteBuilder MapTwilioWebhooks(this IEndpointRouteBuilder app)
    {
        // Twilio cannot send our JWT: these are public and authenticated by the request signature instead.
        var group = app.MapGroup("/twilio").WithTags("Telephony").AllowAnonymous().DisableAntiforgery()
            .AddEndpointFilter<TwilioSignatureFilter>();

        group.MapPost("/webhook", async Task<Results<ContentHttpResult, ValidationProblem>> (
            HttpContext http, TwilioCallRecorder recorder, TwilioPublicUrls urls, CancellationToken ct) =>
        {
            var form = Form(http);
            if (string.IsNullOrWhiteSpace(form["CallSid"])) return Problems.Validation("CallSid", "CallSid is required.");
            var (call, token) = await recorder.RecordVoiceRequestAsync(form, ct);
            return Content(token is null ? TwiML.HangUp() : TwiML.CallStream(urls.MediaStream, call, token));
        });

        group.MapPost("/status", async Task<Results<NoContent, ValidationProblem>> (
            HttpContext http, TwilioCallRecorder recorder, Outbound.Campaigns.CampaignOutcomes campaigns, CancellationToken ct) =>
        {
            var form = Form(http);
            if (string.IsNullOrWhiteSpace(form["CallSid"])) return Problems.Validation("CallSid", "CallSid is required.");
            if (TwilioCallStatus.Parse(form["CallStatus"]) is not { } status)
                return Problems.Validation("CallStatus", $"'{form["CallStatus"]}' is not a Twilio call status.");
            var call = await recorder.RecordStatusAsync(form, status, ct);
            // A campaign call's end moves its lead on (answered, next attempt, done).
            if (call.CampaignId is not null && TwilioCallStatus.IsTerminal(call.Status)) await campaigns.CallEndedAsync(call.Id, ct);
            return TypedResults.NoContent();
        });

        // call_id is part of the signed URL, so it is Twilio's word, not the sender's. A bad one still answers TwiML
        // (Twilio reads any other answer as an application error and tells the caller so).
        group.MapPost(TwilioPublicUrls.DialStatusPath["/twilio".Length..], async (
            HttpContext http, TwilioDialStatus dialStatus, ILogger<TwilioDialStatus> logger, CancellationToken ct) =>
        {
            if (!int.TryParse(http.Request.Query["call_id"], out var callId))
            {
                logger.LogWarning("Dial status without a usable call_id ('{CallId}'): hanging up", http.Request.Query["call_id"].ToString());
                return Content(TwiML.HangUp());
            }
            return Content(await dialStatus.RecordAsync(callId, Form(http), ct));
        });

        group.MapPost(TwilioPublicUrls.WhisperPath["/twilio".Length..], (HttpContext http) =>
        {
            var text = http.Request.Query["text"].ToString();
            // An empty answer connects the two at once.
            return Content(string.IsNullOrWhiteSpace(text) ? new VoiceResponse() : TwiML.Say(text));
        });

        return app;
    }

    private static ContentHttpResult Content(VoiceResponse response) => TypedResults.Content(TwiML.Serialize(response), TwiML.ContentType);

    private static IFormCollection Form(HttpContext http) => (IFormCollection)http.Items[TwilioSignatureFilter.FormItem]!;
}
