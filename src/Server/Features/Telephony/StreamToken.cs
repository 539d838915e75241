using System.Security.Cryptography;
using System.Text;

namespace EstateVoice.Server.Features.Telephony;

/// <summary>
/// The one-time token a media stream must present in its <c>start</c> message (as the <c>stream_token</c>
/// <c>&lt;Parameter&gt;</c>). Only its SHA-256 is stored on the call, so a database leak cannot open a stream.
/// </summary>
public static class StreamToken
{
    public static (string Token, string Hash) Create()
    {
        var token = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    /// <summary>Lowercase hex SHA-256 of the token's UTF-8 bytes (what <c>Call.StreamTokenHash</c> holds).</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Constant-time check of a presented token against the stored hash.</summary>
    public static bool Matches(string? presentedToken, string? storedHash)
    {
        if (string.IsNullOrEmpty(presentedToken) || string.IsNullOrEmpty(storedHash)) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(presentedToken)), Encoding.ASCII.GetBytes(storedHash.ToLowerInvariant()));
    }

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
