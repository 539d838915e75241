using System.Net;

namespace EstateVoice.Server.Features.Webhooks.Outgoing;

/// <summary>
/// <c>OUTGOING_WEBHOOK_URLS</c> (comma-separated), <c>OUTGOING_WEBHOOK_SECRET</c>, and <c>PUBLIC_BASE_URL</c> for the
/// recording link. URLs must be https; plain http is allowed only to a loopback host in Development or Testing (a
/// local receiver). No URLs = no webhooks.
/// </summary>
public sealed class OutgoingWebhookOptions
{
    public List<Uri> Urls { get; set; } = [];
    /// <summary>Entries of OUTGOING_WEBHOOK_URLS that are not URLs (start-up fails on them).</summary>
    public List<string> UrlErrors { get; set; } = [];
    public string? Secret { get; set; }
    /// <summary>Our public https origin; the report's recording link is built from it (a path alone when unset).</summary>
    public string? PublicBaseUrl { get; set; }
    /// <summary>Development/Testing only: loopback receivers may be plain http and reached despite the address guard.</summary>
    public bool AllowLoopback { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Enabled => Urls.Count > 0;

    /// <summary>Why <paramref name="url"/> may not be sent to, or null. Checked at start-up and again before every attempt.</summary>
    public string? RefuseUrl(Uri url)
    {
        if (!url.IsAbsoluteUri) return $"'{url}' is not an absolute URL";
        if (!string.IsNullOrEmpty(url.UserInfo)) return $"'{url.Host}': credentials in the URL are not allowed";
        if (url.Scheme == Uri.UriSchemeHttps) return null;
        if (url.Scheme == Uri.UriSchemeHttp && AllowLoopback && IsLoopbackHost(url.Host)) return null;
        return $"'{url.GetLeftPart(UriPartial.Authority)}' is not https (plain http only to loopback in Development/Testing)";
    }

    public static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>Parses the comma-separated list; entries that are not URLs are kept as errors for validation.</summary>
    public static (List<Uri> Urls, List<string> Errors) ParseUrls(string? value)
    {
        var urls = new List<Uri>();
        var errors = new List<string>();
        foreach (var part in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (Uri.TryCreate(part, UriKind.Absolute, out var url)) urls.Add(url);
            else errors.Add($"'{part}' is not an absolute URL");
        }
        return (urls, errors);
    }
}
