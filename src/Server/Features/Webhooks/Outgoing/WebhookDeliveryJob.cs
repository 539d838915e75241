using System.Net;
using System.Text;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Jobs;
using EstateVoice.Server.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Webhooks.Outgoing;

/// <summary>
/// The <c>webhook-delivery</c> job: POSTs one outbox row's payload to its URL, signed
/// (<c>EstateVoice-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;</c>, <see cref="WebhookSignature"/>), with the event's id
/// (<c>EstateVoice-Event-Id</c>) so receivers can drop repeats. A 2xx is accepted. A 4xx other than 408/429 is the
/// receiver refusing this payload: not retried (retrying would get the same answer). 408, 429, 5xx, timeouts and
/// network errors are retried with the jobs table's backoff (Jobs__RetryBaseDelaySeconds, doubling) up to
/// Jobs__MaxAttempts. Private, link-local and (outside Development/Testing) loopback addresses are refused at connect time.
/// </summary>
public sealed partial class WebhookDeliveryJob(
    AppDbContext db, IHttpClientFactory http, IOptions<OutgoingWebhookOptions> options, IOptions<JobOptions> jobOptions,
    TimeProvider time, ILogger<WebhookDeliveryJob> logger) : IJobHandler
{
    public const string Kind = "webhook-delivery";
    public const string SignatureHeader = "EstateVoice-Signature";
    public const string EventIdHeader = "EstateVoice-Event-Id";
    public const string EventTypeHeader = "EstateVoice-Event";

    public async Task RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.DeliveryKey == run.Key, cancellationToken)
                       ?? throw new PermanentJobFailureException($"webhook delivery '{run.Key}' no longer exists");
        if (delivery.Status == WebhookDeliveryStatus.Delivered) return; // already accepted (a node died before recording the job)

        var o = options.Value;
        var now = time.GetUtcNow();
        delivery.Attempts++;
        delivery.LastAttemptAt = now;
        delivery.UpdatedAt = now;
        var (code, error, retry) = await SendAsync(delivery, o, now, cancellationToken);
        delivery.LastResponseCode = code;
        LogAttempt(delivery.Id, delivery.Url, delivery.Attempts, code, error);
        if (error is null)
        {
            delivery.Status = WebhookDeliveryStatus.Delivered;
            delivery.DeliveredAt = now;
            delivery.LastError = null;
            delivery.NextAttemptAt = null;
            await db.SaveChangesAsync(CancellationToken.None);
            return;
        }
        var giveUp = !retry || run.IsLastAttempt;
        delivery.LastError = error.Length > WebhookDelivery.MaxError ? error[..WebhookDelivery.MaxError] : error;
        delivery.Status = giveUp ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Pending;
        delivery.NextAttemptAt = giveUp ? null : now + jobOptions.Value.RetryDelay(run.Attempt); // the job's own backoff
        await db.SaveChangesAsync(CancellationToken.None);
        if (!retry) throw new PermanentJobFailureException(error);
        throw new WebhookDeliveryFailedException(error);
    }

    /// <returns>The response code (null when none came), the error (null = accepted), and whether to try again.</returns>
    private async Task<(int? Code, string? Error, bool Retry)> SendAsync(
        WebhookDelivery delivery, OutgoingWebhookOptions o, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(delivery.Url, UriKind.Absolute, out var url)) return (null, "the URL is not absolute", false);
        if (o.RefuseUrl(url) is { } refused) return (null, refused, false);
        if (o.Secret is null) return (null, "OUTGOING_WEBHOOK_SECRET is not set", true);

        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.Add(SignatureHeader, WebhookSignature.Header(o.Secret, now.ToUnixTimeSeconds(), body));
        request.Headers.Add(EventIdHeader, delivery.EventId);
        request.Headers.Add(EventTypeHeader, delivery.EventType);
        try
        {
            using var response = await http.CreateClient(OutgoingWebhookExtensions.HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return (code, null, false);
            var retry = code >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
            // 3xx counts as a failure: redirects are not followed (the next hop would escape the address guard).
            return (code, $"HTTP {code} {response.ReasonPhrase}".TrimEnd(), retry || code < 400);
        }
        catch (HttpRequestException e) when (e.InnerException is WebhookRefusedException refusedAddress)
        {
            return (null, refusedAddress.Message, !refusedAddress.Permanent);
        }
        catch (HttpRequestException e)
        {
            return (null, e.Message, true);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"timed out after {o.Timeout.TotalSeconds:0} s", true);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "webhook_delivery_attempt {DeliveryId} {Url} attempt={Attempt} status={StatusCode} error={Error}")]
    private partial void LogAttempt(long deliveryId, string url, int attempt, int? statusCode, string? error);
}

/// <summary>An attempt failed in a way worth retrying (the row already says why).</summary>
public sealed class WebhookDeliveryFailedException(string message) : Exception(message);
