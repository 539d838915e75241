using EstateVoice.Server.Features.Notifications.Email;

namespace EstateVoice.Server.Features.Notifications;

public static class NotificationsExtensions
{
    /// <summary>Program.cs: the notifier, SMTP options (validated at start) and the background email sender.</summary>
    public static IHostApplicationBuilder AddNotifications(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SmtpOptions>().Configure<IConfiguration>((o, config) => SmtpOptions.Bind(o, config))
            .Validate(o => !o.Enabled || o.Port is > 0 and <= 65535, "SMTP_PORT must be a port number (1-65535).")
            .Validate(o => !o.Enabled || o.Socket is not null, "SMTP_TLS must be auto, starttls, tls or none.")
            .Validate(o => !o.Enabled || (o.From is not null && MimeKit.MailboxAddress.TryParse(o.From, out _)),
                "SMTP_FROM (an email address, e.g. \"Estate Voice <noreply@example.com>\") is required when SMTP_HOST is set.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SmtpMailer>();
        builder.Services.AddSingleton<NotificationMailQueue>();
        builder.Services.AddHostedService<NotificationMailSender>();
        builder.Services.AddSingleton<INotifier, Notifier>();
        return builder;
    }
}
