using System.Text;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using EstateVoice.Server.Infrastructure.Security;
using Microsoft.AspNetCore.Http.Features;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

/// <summary>
/// <c>POST /webhooks/elevenlabs</c>. Order matters: read the raw body (size-capped), verify the signature over
/// exactly those bytes, and only then parse or touch the database. The event is committed to the log before the
/// 200, then processed inline; whatever fails after the commit is retried by <see cref="ElevenLabsRetryWorker"/>.
/// </summary>
public static class ElevenLabsWebhookEndpoint
{
    public static IEndpointRouteBuilder MapElevenLabsWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/elevenlabs", HandleAsync)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimits.ElevenLabsWebhook)
            .WithTags("Webhooks")
            .WithSummary("ElevenLabs post-call webhook (HMAC-signed)");
        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context, ElevenLabsSignatureVerifier verifier, ElevenLabsEventLogStore store, ElevenLabsEventRunner runner,
        ElevenLabsOptions options, TimeProvider time, IHostApplicationLifetime lifetime, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(ElevenLabsWebhookEndpoint));
        var body = await ReadBodyAsync(context, options.MaxBodyBytes);
        if (body is null)
        {
            logger.LogWarning("elevenlabs_webhook_body_too_large limit={Limit}", options.MaxBodyBytes);
            return TypedResults.Problem($"The body is larger than {options.MaxBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload Too Large");
        }

        var check = verifier.Verify(context.Request.Headers[ElevenLabsSignatureVerifier.HeaderName].ToString(), body);
        if (check != SignatureCheck.Valid)
        {
            if (check is SignatureCheck.Missing or SignatureCheck.NotConfigured)
                logger.LogWarning("elevenlabs_webhook_missing_signature {Reason}", check == SignatureCheck.NotConfigured ? "ELEVENLABS_WEBHOOK_SECRET is not set" : "no signature header");
            else
                logger.LogWarning("elevenlabs_webhook_invalid_signature {Reason}", check);
            return Problems.Unauthorized("Missing or invalid ElevenLabs signature.");
        }

        // From here on the event is ours: errors after the commit below are retried, not returned to ElevenLabs.
        // Work (and any wait for the database) stops with the request or the server: before the commit nothing is
        // written and ElevenLabs delivers again; after it the row is pending and the retry worker finishes it.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var processing = stop.Token;
        var raw = RawText(body);
        var parsed = ElevenLabsPayloadParser.Parse(body);
        var now = time.GetUtcNow();
        if (parsed.Event is not { } evt)
        {
            logger.LogWarning("elevenlabs_webhook_invalid_payload {Error}", parsed.Error);
            var type = parsed.Type is { Length: > 0 and <= 64 } t ? t : ElevenLabsEventTypes.Malformed;
            await store.TryAddAsync(new ElevenLabsEventLog
            {
                CallSid = ElevenLabsPayloadParser.MalformedKey(body), EventType = type, EventTimestamp = parsed.EventTimestamp ?? now.ToUnixTimeSeconds(),
                ReceivedAt = now, RawPayload = raw, ProcessingState = WebhookProcessingState.Failed, LastError = $"malformed payload: {parsed.Error}",
            }, processing);
            return Results.Json(new { success = false, error = parsed.Error });
        }

        var row = store.NewClaimed(evt, raw);
        var ignoreReason = !ElevenLabsEventTypes.IsKnown(evt.Type) ? $"unknown event type '{evt.Type}'"
            : now - evt.EventTime > options.EventMaxAge ? $"event is older than {options.EventMaxAge.TotalSeconds:0} s"
            : null;
        if (ignoreReason is not null)
        {
            (row.ProcessingState, row.Attempts, row.NextAttemptAt, row.LastError) = (WebhookProcessingState.Ignored, 0, null, ignoreReason);
            if (!ElevenLabsEventTypes.IsKnown(evt.Type)) logger.LogInformation("elevenlabs_webhook_unknown_event {EventType} {EventKey}", evt.Type, evt.EventKey);
            else logger.LogInformation("elevenlabs_webhook_stale_event {EventType} {EventKey} {EventTimestamp}", evt.Type, evt.EventKey, evt.EventTimestamp);
            var stored = await store.TryAddAsync(row, processing);
            return Results.Json(new { success = true, status = stored ? "ignored" : "duplicate" });
        }

        if (row.CallSid.Length > ElevenLabsPayloadParser.MaxKeyLength || evt.Type.Length > 64)
            return Results.Json(new { success = false, error = "identifier or type too long" });
        // Audio is fetched/uploaded outside any transaction, so it is logged (and claimed) first; the rest is
        // database work that commits together with its log row.
        var outcome = evt.Type == ElevenLabsEventTypes.PostCallAudio
            ? await store.TryAddAsync(row, processing) ? await runner.RunAsync(row.Id, row.Attempts, raw, evt, processing) : null
            : await runner.RecordAndProcessAsync(evt, raw, processing);
        if (outcome is null)
        {
            logger.LogInformation("elevenlabs_webhook_duplicate_event {EventType} {EventKey} {EventTimestamp}", evt.Type, evt.EventKey, evt.EventTimestamp);
            return Results.Json(new { success = true, status = "duplicate" });
        }
        return outcome.Kind switch
        {
            OutcomeKind.Processed => Results.Json(new { success = true, status = "processed" }),
            OutcomeKind.Ignored => Results.Json(new { success = true, status = "ignored" }),
            OutcomeKind.Retryable => Results.Json(new { success = true, status = "pending" }),
            _ => Results.Json(new { success = false, error = outcome.ReplyError ?? outcome.Error }),
        };
    }

    /// <summary>The body as received, or null past <paramref name="limit"/> bytes (checked before and while reading).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit) return null;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            sizeFeature.MaxRequestBodySize = limit + 1;
        using var buffer = new MemoryStream(context.Request.ContentLength is { } length ? (int)length : 16 * 1024);
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>The payload as text for the log; NUL is the one character PostgreSQL text refuses.</summary>
    private static string RawText(byte[] body) => Encoding.UTF8.GetString(body).Replace('\0', '\uFFFD');
}
