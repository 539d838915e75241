using MailKit.Security;

namespace EstateVoice.Server.Features.Notifications.Email;

/// <summary>
/// <c>SMTP_HOST</c>, <c>SMTP_PORT</c>, <c>SMTP_USERNAME</c>, <c>SMTP_PASSWORD</c>, <c>SMTP_FROM</c>, <c>SMTP_TLS</c>
/// (<c>auto</c>: STARTTLS when offered, <c>starttls</c>: required, <c>tls</c>: TLS from the first byte, <c>none</c>).
/// Unset host: no email is sent. <c>PUBLIC_BASE_URL</c> makes the link in each email absolute.
/// </summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string? From { get; set; }
    public string Tls { get; set; } = "auto";
    public string? PublicBaseUrl { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Attempts per email (network errors and 4xx replies are retried; the delay doubles from <see cref="RetryDelay"/>).</summary>
    public int MaxAttempts { get; set; } = 4;
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public SecureSocketOptions? Socket => Tls.Trim().ToLowerInvariant() switch
    {
        "auto" => SecureSocketOptions.StartTlsWhenAvailable,
        "starttls" => SecureSocketOptions.StartTls,
        "tls" or "ssl" => SecureSocketOptions.SslOnConnect,
        "none" => SecureSocketOptions.None,
        _ => null,
    };

    internal static void Bind(SmtpOptions o, IConfiguration config)
    {
        o.Host = Trimmed(config["SMTP_HOST"]);
        if (int.TryParse(config["SMTP_PORT"], out var port)) o.Port = port;
        else if (Trimmed(config["SMTP_PORT"]) is not null) o.Port = -1;
        o.Username = Trimmed(config["SMTP_USERNAME"]);
        o.Password = config["SMTP_PASSWORD"];
        o.From = Trimmed(config["SMTP_FROM"]);
        o.Tls = Trimmed(config["SMTP_TLS"]) ?? "auto";
        o.PublicBaseUrl = Trimmed(config["PUBLIC_BASE_URL"])?.TrimEnd('/');
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
