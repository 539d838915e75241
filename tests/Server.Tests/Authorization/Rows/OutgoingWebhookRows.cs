using EstateVoice.Server.Features.Webhooks.Outgoing;
using static EstateVoice.Server.Tests.Authorization.MatrixContext;

namespace EstateVoice.Server.Tests.Authorization;

/// <summary>Outgoing webhook deliveries are for Admins only.</summary>
public static class OutgoingWebhookRows
{
    public static IEnumerable<MatrixRow> All =>
    [
        new("GET", "/admin/webhook-deliveries/", _ => Task.FromResult(Get("/admin/webhook-deliveries/")), Expect.AdminOnly(200)),
        new("POST", "/admin/webhook-deliveries/{id:long}/redeliver", async c => Post($"/admin/webhook-deliveries/{await FailedDeliveryAsync(c)}/redeliver"), Expect.AdminOnly(202)),
    ];

    private static Task<long> FailedDeliveryAsync(MatrixContext c) => c.World.App.WithDbAsync(async db =>
    {
        var now = c.World.App.Time.GetUtcNow();
        var row = new WebhookDelivery
        {
            DeliveryKey = "whd_" + Guid.NewGuid().ToString("N"), EventId = "evt_" + Guid.NewGuid().ToString("N"), EventType = CallReportQueue.EventType,
            Url = "https://hooks.example.com/estate", Payload = "{}", Status = WebhookDeliveryStatus.Failed, Attempts = 1,
            LastResponseCode = 400, LastError = "matrix", CreatedAt = now, UpdatedAt = now,
        };
        db.WebhookDeliveries.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    });
}
