using EstateVoice.Server.Infrastructure.Http;
using EstateVoice.Server.Infrastructure.Jobs;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Webhooks.Outgoing;

public static class OutgoingWebhookExtensions
{
    public const string HttpClientName = "outgoing-webhooks";

    /// <summary>Program.cs: options (validated at start), the report queue, the delivery job kind and its guarded HTTP client.</summary>
    public static IHostApplicationBuilder AddOutgoingWebhooks(this IHostApplicationBuilder builder)
    {
        var environment = builder.Environment;
        builder.Services.AddOptions<OutgoingWebhookOptions>().Configure<IConfiguration>((o, config) =>
            {
                var (urls, errors) = OutgoingWebhookOptions.ParseUrls(config["OUTGOING_WEBHOOK_URLS"]);
                o.Urls = urls;
                o.UrlErrors = errors;
                o.Secret = string.IsNullOrWhiteSpace(config["OUTGOING_WEBHOOK_SECRET"]) ? null : config["OUTGOING_WEBHOOK_SECRET"]!.Trim();
                o.PublicBaseUrl = string.IsNullOrWhiteSpace(config["PUBLIC_BASE_URL"]) ? null : config["PUBLIC_BASE_URL"]!.Trim().TrimEnd('/');
                o.AllowLoopback = environment.IsDevelopment() || environment.IsEnvironment("Testing");
            })
            .Validate(o => o.UrlErrors.Count == 0, "OUTGOING_WEBHOOK_URLS: every entry must be an absolute URL.")
            .Validate(o => o.Urls.All(u => o.RefuseUrl(u) is null),
                "OUTGOING_WEBHOOK_URLS must be https URLs (plain http only to a loopback host in Development/Testing).")
            .Validate(o => !o.Enabled || o.Secret is { Length: >= 16 },
                "OUTGOING_WEBHOOK_SECRET (at least 16 characters) is required when OUTGOING_WEBHOOK_URLS is set: receivers verify the signature with it.")
            .ValidateOnStart();
        builder.Services.AddSingleton<CallReportQueue>();
        builder.Services.AddJobHandler<WebhookDeliveryJob>(WebhookDeliveryJob.Kind);
        builder.Services.AddHttpClient(HttpClientName, (sp, client) =>
            {
                client.Timeout = sp.GetRequiredService<IOptions<OutgoingWebhookOptions>>().Value.Timeout;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("EstateVoice-Webhooks/1");
            })
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptions<OutgoingWebhookOptions>>().Value;
                // Checked at connect time, after DNS: a receiver's name that resolves (or later re-resolves) to a
                // private or link-local address is refused. Loopback is exempt only where loopback URLs are allowed.
                return OutboundAddressGuard.CreateHandler(
                    (_, addresses) => options.AllowLoopback && addresses.All(System.Net.IPAddress.IsLoopback),
                    (message, permanent) => new WebhookRefusedException(message, permanent));
            });
        return builder;
    }
}

/// <summary>The address guard refused the receiver (or its name did not resolve).</summary>
public sealed class WebhookRefusedException(string message, bool permanent) : Exception(message)
{
    public bool Permanent { get; } = permanent;
}
