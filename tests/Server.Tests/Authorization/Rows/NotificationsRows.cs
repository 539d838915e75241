using EstateVoice.Server.Features.Notifications;
using static EstateVoice.Server.Tests.Authorization.MatrixContext;

namespace EstateVoice.Server.Tests.Authorization;

/// <summary>Everyone has their own notifications; another user's (even to an Admin) answers 404.</summary>
public static class NotificationsRows
{
    public static IEnumerable<MatrixRow> All =>
    [
        new("GET", "/notifications/", _ => Task.FromResult(Get("/notifications/")), Expect.Everyone(200)),
        new("POST", "/notifications/{id:long}/read", async c => Post($"/notifications/{await c.World.App.WithDbAsync(async db =>
        {
            var row = new Notification { UserId = c.Owner.Id, Kind = NotificationKind.LeadAssigned, Title = "matrix" };
            db.Notifications.Add(row);
            await db.SaveChangesAsync();
            return row.Id;
        })}/read"), new Expect(404, 404, 204, 404)),
        new("POST", "/notifications/read-all", _ => Task.FromResult(Post("/notifications/read-all")), Expect.Everyone(200)),
    ];
}
