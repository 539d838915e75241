namespace EstateVoice.Server.Features.Telephony;

/// <summary>Twilio account and public URL; bound from <c>TWILIO_*</c> and <c>PUBLIC_BASE_URL</c> (SPEC section 2).</summary>
public sealed class TwilioOptions
{
    public string? AccountSid { get; set; }
    /// <summary>Signs webhooks (HMAC key) and authenticates REST calls. Unset: signature checks are off in demo mode only.</summary>
    public string? AuthToken { get; set; }
    /// <summary>Our Twilio number: the caller id of outbound calls.</summary>
    public string? PhoneNumber { get; set; }
    public string ApiUrl { get; set; } = "https://api.twilio.com";
    /// <summary>
    /// The https URL Twilio reaches us at; required with Twilio credentials. Unset (local demo): the server's listen
    /// address. Never the request's Host, see <see cref="TwilioPublicUrls"/>.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>How long Twilio rings the person a caller is transferred to.</summary>
    public int TransferRingSeconds { get; set; } = 20;

    /// <summary>
    /// How long a failed dial's report waits for the first stream's session to finish writing the call (it ends when
    /// Twilio takes the redirect, and a busy number can report back within a second). Twilio waits 15 s for the answer.
    /// </summary>
    public TimeSpan TransferSettleTimeout { get; set; } = TimeSpan.FromSeconds(6);

    public TimeSpan RestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool HasCredentials => !string.IsNullOrWhiteSpace(AccountSid) || !string.IsNullOrWhiteSpace(AuthToken);

    public bool CanPlaceCalls =>
        !string.IsNullOrWhiteSpace(AccountSid) && !string.IsNullOrWhiteSpace(AuthToken) && !string.IsNullOrWhiteSpace(PhoneNumber);
}
