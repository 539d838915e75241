using System.Net;
using System.Net.Http.Headers;
using Azure.Storage.Blobs;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Webhooks.ElevenLabs;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Webhooks.ElevenLabs;

/// <summary>Recordings in Azure Blob (Azurite), including the case where storage goes away mid-stream and comes back.</summary>
public class AzuriteOutageTests : IAsyncLifetime
{
    private AzuriteServer azurite = null!;
    private AppFactory app = null!;

    public async Task InitializeAsync()
    {
        azurite = await AzuriteServer.StartNewAsync();
        app = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings(new()
        {
            ["AZURE_STORAGE_CONNECTION_STRING"] = azurite.ConnectionString, ["AZURE_STORAGE_CONTAINER_NAME"] = "call-recordings",
        }));
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await azurite.DisposeAsync();
    }

    [Fact]
    public async Task Storage_down_leaves_the_event_pending_and_the_worker_lands_it_once_storage_is_back()
    {
        var client = app.CreateClient();
        var sentAt = app.Now();
        var first = Payloads.Mp3(10_000, seed: 1);
        Assert.Equal("processed", (await client.PostSignedJsonAsync(app, Payloads.SeedAudio(app.Now(), "CA-az1", first))).GetProperty("status").GetString());

        await azurite.StopAsync();
        var second = Payloads.Mp3(12_000, seed: 2);
        var whileDown = await client.PostSignedJsonAsync(app, Payloads.SeedAudio(app.Now(), "CA-az2", second));
        Assert.Equal((true, "pending"), (whileDown.GetProperty("success").GetBoolean(), whileDown.GetProperty("status").GetString()));
        var pending = await app.WithDbAsync(d => d.ElevenLabsEventLogs.AsNoTracking().SingleAsync(e => e.CallSid == "CA-az2"));
        Assert.Equal(WebhookProcessingState.Pending, pending.ProcessingState);
        Assert.NotNull(pending.LastError);

        await azurite.StartAsync();
        app.Time.Advance(TimeSpan.FromSeconds(10));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await app.WithDbAsync(d => d.ElevenLabsEventLogs.Where(e => e.CallSid == "CA-az2").Select(e => e.ProcessingState).SingleAsync()) != WebhookProcessingState.Processed)
        {
            Assert.True(DateTime.UtcNow < deadline, "the worker did not land the recording");
            await Task.Delay(25);
        }

        var container = new BlobContainerClient(azurite.ConnectionString, "call-recordings");
        var blobs = new List<string>();
        await foreach (var item in container.GetBlobsAsync()) blobs.Add(item.Name);
        var day = app.Time.GetUtcNow().ToString("yyyy-MM-dd");
        Assert.Equal([$"elevenlabs/{day}/CA-az1_{sentAt}.mp3", $"elevenlabs/{day}/CA-az2_{sentAt}.mp3"], blobs.Order());
        var call = await app.WithDbAsync(d => d.Calls.SingleAsync(c => c.CallSid == "CA-az2"));
        Assert.Equal($"/calls/{call.Id}/recording", call.RecordingUrl);
        Assert.Equal(2, (await app.WithDbAsync(d => d.ElevenLabsEventLogs.SingleAsync(e => e.CallSid == "CA-az2"))).Attempts);

        // The recording streams back through our own endpoint, seekable.
        var manager = await app.ClientForRoleAsync(UserRole.Manager);
        var request = new HttpRequestMessage(HttpMethod.Get, call.RecordingUrl);
        request.Headers.Range = new RangeHeaderValue(1000, 1999);
        var partial = await manager.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(second[1000..2000], await partial.Content.ReadAsByteArrayAsync());
    }
}
