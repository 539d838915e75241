using System.Security.Cryptography;
using System.Text;

namespace EstateVoice.Server.Features.Telephony;

/// <summary>
/// <c>X-Twilio-Signature</c>: base64(HMAC-SHA1(auth token, full URL + each form parameter's name and value sorted
/// by name, no separators)). Checked in constant time, and — like Twilio's own SDK — also with the default port
/// added or removed, because Twilio is inconsistent about ports in the URL it signs.
/// </summary>
public static class TwilioSignature
{
    public const string Header = "X-Twilio-Signature";

    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> formParameters)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in formParameters.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
        return Convert.ToBase64String(mac);
    }

    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> formParameters, string? signature)
    {
        if (string.IsNullOrEmpty(authToken) || string.IsNullOrEmpty(signature)) return false;
        var parameters = formParameters.ToList();
        var presented = Encoding.UTF8.GetBytes(signature);
        var valid = false;
        foreach (var candidate in UrlVariants(url))
        {
            var expected = Encoding.UTF8.GetBytes(Compute(authToken, candidate, parameters));
            // No early exit: every variant costs the same whether or not an earlier one matched.
            valid |= CryptographicOperations.FixedTimeEquals(expected, presented);
        }
        return valid;
    }

    /// <summary>The URL as given, and with the scheme's default port toggled (added when absent, removed when present).</summary>
    internal static IEnumerable<string> UrlVariants(string url)
    {
        yield return url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) yield break;
        var defaultPort = uri.Scheme switch { "https" or "wss" => 443, "http" or "ws" => 80, _ => -1 };
        if (defaultPort < 0 || uri.Port != defaultPort) yield break;
        var authority = uri.GetLeftPart(UriPartial.Authority); // scheme://host (default port omitted by Uri)
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var slash = rest.IndexOfAny(['/', '?']);
        var tail = slash < 0 ? "" : rest[slash..];
        var hostPart = slash < 0 ? rest : rest[..slash];
        var explicitPort = hostPart.EndsWith(":" + defaultPort, StringComparison.Ordinal);
        yield return explicitPort ? authority + tail : $"{authority}:{defaultPort}{tail}";
    }
}
