using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Infrastructure.Configuration;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.Features;

namespace EstateVoice.Server.Features.Telephony;

/// <summary>
/// Endpoint filter for Twilio webhooks: an oversized form answers 413/400 and a missing or wrong
/// <c>X-Twilio-Signature</c> 403 before the handler runs, so nothing is written. The parsed form is left in
/// <see cref="HttpContext.Items"/> for the handler (empty for a JSON body, whose signature covers the body's hash).
/// A signature says who sent a form, not that its fields fit our columns: a NUL anywhere or an over-long stored field
/// is a 400 naming the field (PostgreSQL would refuse it with a 500; SQLite would keep it whole).
/// </summary>
internal sealed class TwilioSignatureFilter(TwilioRequestValidator validator, TwilioPublicUrls urls, ILogger<TwilioSignatureFilter> logger)
    : IEndpointFilter
{
    public const string FormItem = "twilio.form";

    /// <summary>Twilio's webhooks are ~30 short fields (a few kB): these caps leave room and stop a flood before parsing.</summary>
    public const long MaxBodyBytes = 64 * 1024;
    public const int MaxFields = 200;

    /// <summary>The fields we store, with their columns' lengths.</summary>
    private static readonly (string Field, int MaxLength)[] StoredFields =
    [
        ("CallSid", Call.MaxSid), ("ParentCallSid", Call.MaxSid), ("DialCallSid", Call.MaxSid),
        ("From", Call.MaxPhoneNumber), ("To", Call.MaxPhoneNumber),
    ];

    private static readonly FormOptions Limits = new() { ValueCountLimit = MaxFields, KeyLengthLimit = 256, ValueLengthLimit = (int)MaxBodyBytes };

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        IFormCollection form;
        TwilioSignatureResult check;
        try
        {
            (form, check) = IsJson(http.Request)
                ? (FormCollection.Empty, validator.CheckJson(http.Request, await ReadLimitedBodyAsync(http)))
                : await ReadAndCheckFormAsync(http);
        }
        catch (Exception ex) when (ex is InvalidDataException || ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            var tooLarge = ex is BadHttpRequestException;
            logger.LogWarning("Refused an oversized Twilio request to {Path}: {Reason}", http.Request.Path, ex.Message);
            return TypedResults.Problem(
                tooLarge ? $"A Twilio request body is at most {MaxBodyBytes / 1024} kB." : $"A Twilio request has at most {MaxFields} form fields of bounded length.",
                statusCode: tooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                title: tooLarge ? "Payload Too Large" : "Bad Request");
        }
        switch (check)
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
        if (FieldErrors(form) is { } errors)
        {
            logger.LogWarning("Refused a Twilio request to {Path} with fields we cannot store: {Fields}", http.Request.Path, string.Join(", ", errors.Keys));
            return Problems.Validation(errors);
        }
        http.Items[FormItem] = form;
        return await next(context);
    }

    private static Dictionary<string, string[]>? FieldErrors(IFormCollection form)
    {
        Dictionary<string, string[]>? errors = null;
        foreach (var (name, values) in form)
        {
            if (values.Any(v => v?.Contains('\0') == true))
                (errors ??= [])[name] = [$"{name} {NulCharacters.Message}"];
        }
        foreach (var (field, maxLength) in StoredFields)
        {
            if (form[field].Any(v => v?.Length > maxLength))
                (errors ??= [])[field] = [$"{field} is at most {maxLength} characters."];
        }
        return errors;
    }

    private async Task<(IFormCollection, TwilioSignatureResult)> ReadAndCheckFormAsync(HttpContext http)
    {
        var form = await ReadLimitedFormAsync(http);
        var parameters = form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? ""))).ToList();
        return (form, validator.Check(http.Request, parameters));
    }

    private static bool IsJson(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The form, read within <see cref="MaxBodyBytes"/> and <see cref="MaxFields"/>; the signature needs every field, so it is read first.</summary>
    private static async Task<IFormCollection> ReadLimitedFormAsync(HttpContext http)
    {
        var request = http.Request;
        if (!request.HasFormContentType) return FormCollection.Empty;
        LimitBody(http);
        return await new FormFeature(request, Limits).ReadFormAsync(http.RequestAborted);
    }

    /// <summary>A JSON body as text (its SHA-256 is what Twilio signs), read within <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<string> ReadLimitedBodyAsync(HttpContext http)
    {
        LimitBody(http);
        // Read to one byte past the cap ourselves too: a host that ignores the size feature still cannot flood us.
        var buffer = new byte[MaxBodyBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await http.Request.Body.ReadAsync(buffer.AsMemory(length), http.RequestAborted)) > 0) length += read;
        if (length > MaxBodyBytes) throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static void LimitBody(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
            throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
        // A body without Content-Length (chunked) is cut off by the server at the same size.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
            sizeLimit.MaxRequestBodySize = MaxBodyBytes;
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
