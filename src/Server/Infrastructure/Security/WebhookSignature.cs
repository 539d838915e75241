using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EstateVoice.Server.Infrastructure.Security;

public enum SignatureCheck { Valid, Missing, Malformed, OutsideTolerance, Mismatch, NotConfigured }

/// <summary>
/// The webhook signature scheme, both ways: <c>t=&lt;unix&gt;,v1=&lt;hex&gt;</c> where hex is HMAC-SHA256 with the shared
/// secret over "&lt;t&gt;.&lt;raw body bytes&gt;". ElevenLabs signs what it sends us this way (header
/// <c>ElevenLabs-Signature</c>, v0 or v1 values), and we sign our outgoing webhooks the same way
/// (<c>EstateVoice-Signature</c>), so a receiver verifies them exactly as we verify ElevenLabs.
/// </summary>
public static class WebhookSignature
{
    /// <summary>HMAC-SHA256(secret, "&lt;t&gt;.&lt;body&gt;").</summary>
    public static byte[] Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    /// <summary>The header value signing <paramref name="body"/> at <paramref name="timestamp"/> (unix seconds).</summary>
    public static string Header(string secret, long timestamp, ReadOnlySpan<byte> body, string scheme = "v1") =>
        $"t={timestamp.ToString(CultureInfo.InvariantCulture)},{scheme}={Convert.ToHexStringLower(Compute(secret, timestamp, body))}";

    /// <summary>
    /// Checks a header against the body: any one matching v0/v1 value is enough, the timestamp must be within
    /// <paramref name="tolerance"/> of <paramref name="now"/> (replays of old deliveries fail), comparison is constant-time.
    /// </summary>
    public static SignatureCheck Verify(string? secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (secret is null) return SignatureCheck.NotConfigured;
        if (string.IsNullOrWhiteSpace(header)) return SignatureCheck.Missing;

        long? timestamp = null;
        var candidates = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0) return SignatureCheck.Malformed;
            var (key, value) = (part[..equals], part[(equals + 1)..]);
            if (key == "t")
            {
                if (timestamp is not null || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t)) return SignatureCheck.Malformed;
                timestamp = t;
            }
            else if (key is "v0" or "v1")
            {
                // A value that is not 64 hex digits can never match; skip it rather than fail, another may.
                if (value.Length == 64 && TryFromHex(value, out var bytes)) candidates.Add(bytes);
            }
        }
        if (timestamp is null || candidates.Count == 0) return SignatureCheck.Malformed;

        var age = now.ToUnixTimeSeconds() - timestamp.Value;
        var limit = (long)tolerance.TotalSeconds;
        if (age > limit || age < -limit) return SignatureCheck.OutsideTolerance;

        var expected = Compute(secret, timestamp.Value, body);
        var matched = false;
        // Compare against every candidate (no early exit) so timing says nothing about which one matched.
        foreach (var candidate in candidates) matched |= CryptographicOperations.FixedTimeEquals(candidate, expected);
        return matched ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }

    private static bool TryFromHex(string hex, out byte[] bytes)
    {
        bytes = new byte[hex.Length / 2];
        return Convert.FromHexString(hex, bytes, out _, out _) == System.Buffers.OperationStatus.Done;
    }
}
