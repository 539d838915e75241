using System.Text.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Notifications.Email;
using EstateVoice.Server.Features.Voice.Live;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Notifications;

/// <summary>
/// Writes the row in a scope of its own (the caller's context may hold changes it has not saved, or be mid-turn),
/// pushes <c>notification</c> to the user's hub group (every node's connections, through the Redis backplane when
/// there is one) and queues the email. Failures are logged, never thrown.
/// </summary>
public sealed partial class Notifier(
    IServiceScopeFactory scopes, IHubContext<CallsHub> hub, NotificationMailQueue mail, TimeProvider time,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, ILogger<Notifier> logger) : INotifier
{
    public const string HubMethod = "notification";

    public async Task PublishAsync(NotificationMessage message, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var recipients = await db.Users.AsNoTracking()
                .Where(u => u.IsActive && (message.UserId == null ? u.Role == UserRole.Manager : u.Id == message.UserId))
                .Select(u => new { u.Id, u.Email, u.Name }).ToListAsync(ct);
            if (recipients.Count == 0) return;
            var now = time.GetUtcNow();
            var rows = recipients.Select(r => new Notification
            {
                UserId = r.Id, Kind = message.Kind, Title = Clip(message.Title, 300), Link = message.Link, CreatedAt = now,
            }).ToList();
            db.Notifications.AddRange(rows);
            await db.SaveChangesAsync(ct);
            foreach (var (row, recipient) in rows.Zip(recipients))
            {
                Push(row);
                mail.TryQueue(new NotificationMail(recipient.Email, recipient.Name, row.Title, row.Link, message.Attachment));
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogNotSaved(ex, message.Kind, message.UserId);
        }
    }

    private void Push(Notification row)
    {
        var payload = JsonSerializer.SerializeToElement(NotificationResponse.From(row), json.Value.SerializerOptions);
        var task = hub.Clients.Group(CallsHub.UserGroup(row.UserId)).SendAsync(HubMethod, payload);
        if (!task.IsCompletedSuccessfully)
            _ = task.ContinueWith(t => LogNotPushed(t.Exception, row.Id), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private static string Clip(string value, int max) => value.Length > max ? value[..max] : value;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {Kind} for user {UserId} not saved")]
    private partial void LogNotSaved(Exception exception, NotificationKind kind, int? userId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Notification {NotificationId} not pushed live")]
    private partial void LogNotPushed(Exception? exception, long notificationId);
}
