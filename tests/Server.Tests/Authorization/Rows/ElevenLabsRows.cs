using EstateVoice.Server.Features.Storage;
using EstateVoice.Server.Features.Webhooks.ElevenLabs;
using Microsoft.Extensions.DependencyInjection;
using static EstateVoice.Server.Tests.Authorization.MatrixContext;

namespace EstateVoice.Server.Tests.Authorization;

/// <summary>Recordings follow call visibility; stored ElevenLabs deliveries are for Admins only.</summary>
public static class ElevenLabsRows
{
    public static IEnumerable<MatrixRow> All =>
    [
        new("GET", "/calls/{id:int}/recording", async c => Get($"/calls/{await CallWithRecordingAsync(c)}/recording"), Expect.Owned(200)),
        new("GET", "/admin/webhook-events/", _ => Task.FromResult(Get("/admin/webhook-events/")), Expect.AdminOnly(200)),
        new("GET", "/admin/webhook-events/{id:long}", async c => Get($"/admin/webhook-events/{await FailedEventAsync(c)}"), Expect.AdminOnly(200)),
        new("POST", "/admin/webhook-events/{id:long}/retry", async c => Post($"/admin/webhook-events/{await FailedEventAsync(c)}/retry"), Expect.AdminOnly(202)),
    ];

    private static async Task<int> CallWithRecordingAsync(MatrixContext c)
    {
        var id = await c.OwnedCallAsync();
        var name = $"elevenlabs/2026-11-25/CA{Guid.NewGuid():N}_1.mp3";
        await c.World.App.Services.GetRequiredService<IBlobStore>().UploadAsync(name, new MemoryStream([1, 2, 3]), "audio/mpeg", new Dictionary<string, string>(), default);
        await c.World.App.WithDbAsync(async db =>
        {
            var call = await db.Calls.FindAsync(id);
            call!.RecordingBlobName = name;
            await db.SaveChangesAsync();
        });
        return id;
    }

    private static Task<long> FailedEventAsync(MatrixContext c) => c.World.App.WithDbAsync(async db =>
    {
        var row = new ElevenLabsEventLog
        {
            CallSid = "CA" + Guid.NewGuid().ToString("N"), EventType = "post_call_audio", EventTimestamp = 1,
            ReceivedAt = c.World.App.Time.GetUtcNow(), RawPayload = "{}", ProcessingState = WebhookProcessingState.Failed, LastError = "matrix",
        };
        db.ElevenLabsEventLogs.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    });
}
