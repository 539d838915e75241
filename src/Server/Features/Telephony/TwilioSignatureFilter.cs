using EstateVoice.Server.Infrastructure.Configuration;

namespace EstateVoice.Server.Features.Telephony;

/// <summary>
/// Endpoint filter for Twilio webhooks: a missing or wrong <c>X-Twilio-Signature</c> answers 403 before the handler
/// runs, so nothing is written. The parsed form is left in <see cref="HttpContext.Items"/> for the handler.
/// </summary>
internal sealed class TwilioSignatureFilter(TwilioRequestValidator validator, TwilioPublicUrls urls, ILogger<TwilioSignatureFilter> logger)
    : IEndpointFilter
{
    public const string FormItem = "twilio.form";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : FormCollection.Empty;
        var parameters = form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? ""))).ToList();
        switch (validator.Check(http.Request, parameters))
        {
            case TwilioSignatureResult.Invalid:
                logger.LogWarning("Rejected a Twilio request to {Path} with a missing or invalid signature (URL checked: {Url})",
                    http.Request.Path, urls.Of(http.Request));
                return TypedResults.Problem("The X-Twilio-Signature header is missing or does not match this request.",
                    statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
            case TwilioSignatureResult.ChecksOff:
                logger.LogDebug("Twilio signature not checked (no TWILIO_AUTH_TOKEN, demo mode)");
                break;
        }
        http.Items[FormItem] = form;
        return await next(context);
    }
}

/// <summary>Says once at startup when Twilio requests are not authenticated (demo mode without an auth token).</summary>
internal sealed class TwilioStartupWarning(TwilioRequestValidator validator, DemoOptions demo, ILogger<TwilioStartupWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (validator.ChecksEnabled) return Task.CompletedTask;
        if (demo.Enabled)
            logger.LogWarning("TWILIO_AUTH_TOKEN is not set: Twilio signature checks are OFF (demo mode). Anyone can post to /twilio/*.");
        else
            logger.LogWarning("TWILIO_AUTH_TOKEN is not set: every Twilio webhook and media stream will be refused (403).");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
