using System.Security.Cryptography;
using System.Text;

namespace EstateVoice.Server.Features.Voice;

/// <summary>
/// The one-time token that authenticates a media stream: the webhook creates it, stores only its SHA-256 (hex) on
/// the Call row and passes it to Twilio as the <c>stream_token</c> <c>&lt;Parameter&gt;</c>; the stream must present it on <c>start</c>.
/// </summary>
public static class StreamTokens
{
    public const string ParameterName = "stream_token";
    public const string CallIdParameter = "call_id";

    public static string Create() => Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static bool Matches(string? token, string? expectedHash)
    {
        if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(expectedHash)) return false;
        var actual = Encoding.ASCII.GetBytes(Hash(token));
        var expected = Encoding.ASCII.GetBytes(expectedHash.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
