using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace EstateVoice.Server.Features.Notifications.Email;

public sealed record OutgoingEmail(string To, string? ToName, string Subject, string Body, MailAttachment? Attachment = null);

/// <summary>
/// A file sent with an email. <paramref name="ContentType"/> is the whole header value, parameters included
/// (a calendar invite is <c>text/calendar; method=REQUEST</c>: mail clients read the method to offer accept/decline).
/// </summary>
public sealed record MailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>Sends one plain-text email (with at most one attachment) over SMTP (MailKit), one connection per message: the volume is a few a minute.</summary>
public sealed class SmtpMailer(IOptions<SmtpOptions> options)
{
    public bool Enabled => options.Value.Enabled;

    public async Task SendAsync(OutgoingEmail email, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.Enabled) throw new InvalidOperationException("SMTP is not set up (SMTP_HOST).");
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(o.From!));
        message.To.Add(new MailboxAddress(email.ToName ?? "", email.To));
        message.Subject = email.Subject;
        var text = new TextPart("plain") { Text = email.Body };
        message.Body = email.Attachment is not { } file ? text : new Multipart("mixed")
        {
            text,
            new MimePart(ContentType.Parse(file.ContentType))
            {
                Content = new MimeContent(new MemoryStream(file.Content)),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = file.FileName,
            },
        };

        using var client = new SmtpClient { Timeout = (int)o.Timeout.TotalMilliseconds };
        await client.ConnectAsync(o.Host!, o.Port, o.Socket!.Value, ct).ConfigureAwait(false);
        if (o.Username is not null) await client.AuthenticateAsync(o.Username, o.Password ?? "", ct).ConfigureAwait(false);
        await client.SendAsync(message, ct).ConfigureAwait(false);
        await client.DisconnectAsync(quit: true, ct).ConfigureAwait(false);
    }
}
