using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

public enum SignatureCheck { Valid, Missing, Malformed, OutsideTolerance, Mismatch, NotConfigured }

/// <summary>
/// Checks <c>ElevenLabs-Signature: t=&lt;unix&gt;,v0=&lt;hex&gt;[,v1=&lt;hex&gt;…]</c>: HMAC-SHA256 with the webhook secret over
/// "&lt;t&gt;.&lt;raw body bytes&gt;". Any one matching v0/v1 value is enough; comparison is constant-time.
/// </summary>
public sealed class ElevenLabsSignatureVerifier(ElevenLabsOptions options, TimeProvider time)
{
    public const string HeaderName = "ElevenLabs-Signature";

    public SignatureCheck Verify(string? header, ReadOnlySpan<byte> body)
    {
        if (options.WebhookSecret is null) return SignatureCheck.NotConfigured;
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

        var age = time.GetUtcNow().ToUnixTimeSeconds() - timestamp.Value;
        var tolerance = (long)options.SignatureTolerance.TotalSeconds;
        if (age > tolerance || age < -tolerance) return SignatureCheck.OutsideTolerance;

        var expected = Compute(options.WebhookSecret, timestamp.Value, body);
        var matched = false;
        // Compare against every candidate (no early exit) so timing says nothing about which one matched.
        foreach (var candidate in candidates) matched |= CryptographicOperations.FixedTimeEquals(candidate, expected);
        return matched ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }

    /// <summary>HMAC-SHA256(secret, "&lt;t&gt;.&lt;body&gt;"): how ElevenLabs signs (and how tests and the benchmark sign).</summary>
    public static byte[] Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    public static string Header(string secret, long timestamp, ReadOnlySpan<byte> body, string scheme = "v0") =>
        $"t={timestamp.ToString(CultureInfo.InvariantCulture)},{scheme}={Convert.ToHexStringLower(Compute(secret, timestamp, body))}";

    private static bool TryFromHex(string hex, out byte[] bytes)
    {
        bytes = new byte[hex.Length / 2];
        return Convert.FromHexString(hex, bytes, out _, out _) == System.Buffers.OperationStatus.Done;
    }
}
