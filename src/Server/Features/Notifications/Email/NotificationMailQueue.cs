using System.Threading.Channels;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Notifications.Email;

public sealed record NotificationMail(string To, string ToName, string Title, string? Link, MailAttachment? Attachment = null);

/// <summary>
/// Notification emails wait here, off the request path. Bounded: when SMTP is down for long and the queue is full,
/// new emails are dropped (and logged) rather than growing memory; the notification itself is already saved.
/// </summary>
public sealed partial class NotificationMailQueue(IOptions<SmtpOptions> options, ILogger<NotificationMailQueue> logger)
{
    public const int Capacity = 1000;

    private readonly Channel<NotificationMail> _queue = Channel.CreateBounded<NotificationMail>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    internal ChannelReader<NotificationMail> Reader => _queue.Reader;

    public bool Enabled => options.Value.Enabled;

    public void TryQueue(NotificationMail mail)
    {
        if (!options.Value.Enabled) return;
        if (!_queue.Writer.TryWrite(mail)) LogDropped(mail.Title);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification email '{Title}' dropped: the mail queue is full")]
    private partial void LogDropped(string title);
}

/// <summary>Sends the queued notification emails one at a time, retrying network errors and temporary (4xx) refusals.</summary>
public sealed partial class NotificationMailSender(
    NotificationMailQueue queue, SmtpMailer mailer, IOptions<SmtpOptions> options, TimeProvider time, ILogger<NotificationMailSender> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var mail in queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                await SendWithRetryAsync(mail, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendWithRetryAsync(NotificationMail mail, CancellationToken ct)
    {
        var o = options.Value;
        var email = Compose(mail, o);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await mailer.SendAsync(email, ct).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && attempt < o.MaxAttempts && Retryable(ex))
            {
                var delay = o.RetryDelay * Math.Pow(2, attempt - 1);
                LogRetry(ex, mail.To, attempt, delay);
                await Task.Delay(delay, time, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                LogFailed(ex, mail.To, attempt);
                return;
            }
        }
    }

    internal static OutgoingEmail Compose(NotificationMail mail, SmtpOptions o)
    {
        var link = mail.Link is null ? null : o.PublicBaseUrl is { } baseUrl ? baseUrl + mail.Link : mail.Link;
        var body = $"Hello {mail.ToName},\n\n{mail.Title}\n" + (link is null ? "" : $"\nOpen: {link}\n") + "\n-- Estate Voice";
        return new OutgoingEmail(mail.To, mail.ToName, "Estate Voice: " + mail.Title, body, mail.Attachment);
    }

    /// <summary>A permanent refusal (5xx: unknown mailbox, relay denied) will not change on a retry.</summary>
    private static bool Retryable(Exception ex) => ex switch
    {
        SmtpCommandException command => (int)command.StatusCode < 500,
        MailKit.Security.AuthenticationException => false,
        _ => true,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification email to {To} failed (attempt {Attempt}); retrying in {Delay}")]
    private partial void LogRetry(Exception exception, string to, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification email to {To} not sent after {Attempts} attempts")]
    private partial void LogFailed(Exception exception, string to, int attempts);
}
