using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EstateVoice.Server.Features.Telephony;

/// <summary><c>POST /twilio/webhook</c> (answers TwiML that connects the media stream) and <c>POST /twilio/status</c>.</summary>
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
            if (token is null) return TypedResults.Content(TwiML.HangUp(), TwiML.ContentType);

            List<KeyValuePair<string, string>> parameters =
            [
                new("call_id", call.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("stream_token", token),
                new("direction", call.Direction == CallDirection.Inbound ? "inbound" : "outbound"),
            ];
            if (call.LeadId is { } leadId) parameters.Add(new("lead_id", leadId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return TypedResults.Content(TwiML.ConnectStream(urls.MediaStream, parameters), TwiML.ContentType);
        });

        group.MapPost("/status", async Task<Results<NoContent, ValidationProblem>> (HttpContext http, TwilioCallRecorder recorder, CancellationToken ct) =>
        {
            var form = Form(http);
            if (string.IsNullOrWhiteSpace(form["CallSid"])) return Problems.Validation("CallSid", "CallSid is required.");
            if (TwilioCallStatus.Parse(form["CallStatus"]) is not { } status)
                return Problems.Validation("CallStatus", $"'{form["CallStatus"]}' is not a Twilio call status.");
            await recorder.RecordStatusAsync(form, status, ct);
            return TypedResults.NoContent();
        });

        return app;
    }

    private static IFormCollection Form(HttpContext http) => (IFormCollection)http.Items[TwilioSignatureFilter.FormItem]!;
}
