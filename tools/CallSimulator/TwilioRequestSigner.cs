using System.Security.Cryptography;
using System.Text;

namespace EstateVoice.CallSimulator;

/// <summary>
/// Twilio's request signature: base64(HMAC-SHA1(auth token, full URL + each POST parameter's name and value,
/// sorted by name)). The simulator signs exactly as Twilio does so a deployment's real check is exercised.
/// </summary>
public static class TwilioRequestSigner
{
    public static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> formParameters)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in formParameters.OrderBy(p => p.Key, StringComparer.Ordinal))
            data.Append(name).Append(value);
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes(authToken));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(data.ToString())));
    }
}
