using EstateVoice.Server.Infrastructure.Security;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

/// <summary>
/// Checks <c>ElevenLabs-Signature: t=&lt;unix&gt;,v0=&lt;hex&gt;[,v1=&lt;hex&gt;…]</c> with the webhook secret (the scheme
/// itself, shared with our outgoing webhooks, is <see cref="WebhookSignature"/>).
/// </summary>
public sealed class ElevenLabsSignatureVerifier(ElevenLabsOptions options, TimeProvider time)
{
    public const string HeaderName = "ElevenLabs-Signature";

    public SignatureCheck Verify(string? header, ReadOnlySpan<byte> body) =>
        WebhookSignature.Verify(options.WebhookSecret, header, body, time.GetUtcNow(), options.SignatureTolerance);

    /// <summary>How ElevenLabs signs (and how tests and the benchmark sign): ElevenLabs sends v0.</summary>
    public static string Header(string secret, long timestamp, ReadOnlySpan<byte> body, string scheme = "v0") =>
        WebhookSignature.Header(secret, timestamp, body, scheme);
}
