using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Webhooks.ElevenLabs;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Webhooks.ElevenLabs;

/// <summary>
/// Storage is broken by putting a file where the local recordings folder must go, and fixed by removing it;
/// the worker runs on the app's fake clock, so "later" is an Advance away.
/// </summary>
public class RetryWorkerTests : IAsyncLifetime
{
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("estate-retry-").FullName;
    private AppFactory app = null!;
    private string BlockingFile => Path.Combine(dataDirectory, "recordings");

    public async Task InitializeAsync()
    {
        app = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings(new() { ["DATA_DIR"] = dataDirectory, ["ELEVENLABS_MAX_ATTEMPTS"] = "2" }));
        await File.WriteAllTextAsync(BlockingFile, "storage is down");
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        Directory.Delete(dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Failed_upload_stays_pending_and_the_worker_lands_it_after_the_backoff()
    {
        var audio = Payloads.Mp3(4000);
        var logs = CapturedLogs.AttachTo(app);
        var body = await app.CreateClient().PostSignedJsonAsync(app, Payloads.SeedAudio(app.Now(), "CA-retry", audio));

        Assert.Equal("pending", body.GetProperty("status").GetString());
        var pending = await app.WithDbAsync(d => d.ElevenLabsEventLogs.SingleAsync());
        Assert.Equal((WebhookProcessingState.Pending, 1), (pending.ProcessingState, pending.Attempts));
        // The error says where and which setting, not just "file already exists".
        Assert.Contains($"recording upload failed: Cannot write to the local recordings folder '{BlockingFile}' (DATA_DIR/recordings)", pending.LastError);
        Assert.Equal(1, logs.Count("elevenlabs_recording_upload_failed"));
        Assert.Equal(0, await app.WithDbAsync(d => d.Calls.CountAsync()));

        File.Delete(BlockingFile);
        app.Time.Advance(TimeSpan.FromSeconds(10));
        var done = await WaitForStateAsync(WebhookProcessingState.Processed);

        Assert.Equal(2, done.Attempts);
        var call = await app.WithDbAsync(d => d.Calls.SingleAsync());
        Assert.Equal(audio, await PostCallEventTests.ReadBlobAsync(app, call.RecordingBlobName!));
        var files = Directory.GetFiles(BlockingFile, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(BlockingFile, f)).Order();
        Assert.Equal([call.RecordingBlobName!, call.RecordingBlobName + ".meta.json"], files); // once, no temp files left
    }

    [Fact]
    public async Task After_the_last_attempt_the_event_is_failed_listed_for_admins_and_retried_on_request()
    {
        await app.CreateClient().PostSignedJsonAsync(app, Payloads.SeedAudio(app.Now(), "CA-failed", Payloads.Mp3(900)));
        app.Time.Advance(TimeSpan.FromSeconds(10));
        var failed = await WaitForStateAsync(WebhookProcessingState.Failed);
        Assert.Equal(2, failed.Attempts);

        var admin = await app.ClientForRoleAsync(UserRole.Admin);
        var list = await admin.GetFromJsonAsync<JsonElement>("/admin/webhook-events?state=failed&page_size=10");
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        var item = list.GetProperty("items")[0];
        Assert.Equal(("CA-failed", "post_call_audio", "failed"), (item.GetProperty("call_sid").GetString(), item.GetProperty("event_type").GetString(), item.GetProperty("processing_state").GetString()));
        var detail = await admin.GetFromJsonAsync<JsonElement>($"/admin/webhook-events/{failed.Id}");
        Assert.Contains("CA-failed", detail.GetProperty("raw_payload").GetString());

        File.Delete(BlockingFile);
        var retry = await admin.PostAsync($"/admin/webhook-events/{failed.Id}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        await WaitForStateAsync(WebhookProcessingState.Processed);
        Assert.NotNull(await app.WithDbAsync(d => d.Calls.Select(c => c.RecordingBlobName).SingleAsync()));

        var again = await admin.PostAsync($"/admin/webhook-events/{failed.Id}/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/admin/webhook-events/999999/retry", null)).StatusCode);
    }

    [Fact]
    public async Task Only_admins_see_or_retry_webhook_events()
    {
        var manager = await app.ClientForRoleAsync(UserRole.Manager);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync("/admin/webhook-events")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsync("/admin/webhook-events/1/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/admin/webhook-events")).StatusCode);
        var admin = await app.ClientForRoleAsync(UserRole.Admin);
        var bad = await admin.GetAsync("/admin/webhook-events?state=exploded");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("state", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_claimed_event_is_taken_by_one_worker_only()
    {
        await app.CreateClient().PostSignedJsonAsync(app, Payloads.SeedAudio(app.Now(), "CA-claim", Payloads.Mp3(900)));
        var store = (ElevenLabsEventLogStore)app.Services.GetService(typeof(ElevenLabsEventLogStore))!;
        // Not due yet: nobody may take it.
        Assert.Empty(await store.ClaimDueAsync(10, default));

        await app.WithDbAsync(d => d.ElevenLabsEventLogs.ExecuteUpdateAsync(s => s.SetProperty(e => e.NextAttemptAt, app.Time.GetUtcNow())));
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.ClaimDueAsync(10, default))));

        Assert.Equal(1, claims.Sum(c => c.Count));
    }

    private async Task<ElevenLabsEventLog> WaitForStateAsync(WebhookProcessingState state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var row = await app.WithDbAsync(d => d.ElevenLabsEventLogs.AsNoTracking().SingleAsync());
            if (row.ProcessingState == state) return row;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"event stayed {row.ProcessingState} ({row.LastError})");
            await Task.Delay(25);
        }
    }
}
