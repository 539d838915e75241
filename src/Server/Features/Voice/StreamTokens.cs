using System.Security.Cryptography;
using System.Text;

namespace EstateVoice.Server.Features.Voice;

/// <summary>
/// The one-time token that authenticates a media stream: the webhook creates it, stores only its SHA-256 (hex) on
/// the Call row and passes it to Twilio as the <c>stream_token</c> <c>&lt;Parameter&gt;</c>; the stream must present it on <c>start</c>.
/// A database leak therefore cannot open a stream. It lives on the voice side because browser calls and the stream
/// admission use it without Twilio; Telephony only creates tokens for the TwiML it answers.
/// </summary>
public static class StreamTokens
{
    public const string ParameterName = "stream_token";
    public const string CallIdParameter = "call_id";

    /// <summary>A stream that continues an existing call (its earlier turns are the agent's history) says why here.</summary>
    public const string ResumeParameter = "resume";
    /// <summary><see cref="ResumeParameter"/>'s value after a transfer nobody answered; <see cref="DialStatusParameter"/> says how it ended.</summary>
    public const string ResumeAfterFailedTransfer = "transfer_failed";
    /// <summary>Twilio's <c>DialCallStatus</c> of the failed transfer: no-answer, busy, failed or canceled.</summary>
    public const string DialStatusParameter = "dial_status";

    public static string Create() => Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new token and the hash to store for it.</summary>
    public static (string Token, string Hash) CreateWithHash()
    {
        var token = Create();
        return (token, Hash(token));
    }

    /// <summary>Lowercase hex SHA-256 of the token's UTF-8 bytes (what <c>Call.StreamTokenHash</c> holds).</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Constant-time check of a presented token against the stored hash.</summary>
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
