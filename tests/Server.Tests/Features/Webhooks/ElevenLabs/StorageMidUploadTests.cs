using System.Net;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Storage;
using EstateVoice.Server.Features.Webhooks.ElevenLabs;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EstateVoice.Server.Tests.Features.Webhooks.ElevenLabs;

/// <summary>
/// Storage failing part-way through writing a recording (AzuriteOutageTests stops it before the delivery): Azure
/// storage whose connection breaks mid-upload, and a local disk that fills up mid-write. Either way the delivery
/// answers "pending" (the event, audio included, is safe in the event log and the retry worker owns it, so
/// ElevenLabs need not send it again), no half recording is referenced or left behind, and the retry lands it whole.
/// </summary>
public sealed class StorageMidUploadTests
{
    private const string Container = "call-recordings";

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Azure_storage_breaking_mid_upload_leaves_no_half_blob_and_the_retry_lands_the_recording(Db db)
    {
        await using var azurite = await AzuriteServer.StartNewAsync();
        await using var proxy = new FaultProxy(azurite.Port);
        var throughProxy = azurite.ConnectionString.Replace($":{azurite.Port}/", $":{proxy.Port}/", StringComparison.Ordinal);
        await using var app = await AppFactory.CreateAsync(db, ElevenLabsWebhook.Settings(new()
        {
            ["AZURE_STORAGE_CONNECTION_STRING"] = throughProxy, ["AZURE_STORAGE_CONTAINER_NAME"] = Container,
        }));
        var client = app.CreateClient();
        // A first recording goes through: the container exists and the connection to storage is warm.
        Assert.Equal("processed", (await client.PostSignedJsonAsync(app, Payloads.SeedAudio(app.Now(), "CA-before", Payloads.Mp3(2_000, seed: 1)))).GetProperty("status").GetString());

        // Every connection to storage now breaks 6 kB into what it sends: a 40 kB recording's upload (and the SDK's
        // own retries) stop part-way through the body.
        proxy.CutAfterBytes = 6_000;
        var audio = Payloads.Mp3(40_000, seed: 2);
        var sentAt = app.Now();
        var reply = await client.PostSignedJsonAsync(app, Payloads.SeedAudio(sentAt, "CA-mid", audio));

        Assert.Equal((true, "pending"), (reply.GetProperty("success").GetBoolean(), reply.GetProperty("status").GetString()));
        Assert.True(proxy.Cuts >= 1, "the upload was cut part-way");
        var pending = await app.WithDbAsync(d => d.ElevenLabsEventLogs.AsNoTracking().SingleAsync(e => e.CallSid == "CA-mid"));
        Assert.Equal(WebhookProcessingState.Pending, pending.ProcessingState);
        Assert.Contains("recording upload failed", pending.LastError);
        Assert.True(pending.RawPayload.Length > audio.Length * 4 / 3, "the audio is kept for the retry");
        Assert.False(await app.WithDbAsync(d => d.Calls.AnyAsync(c => c.CallSid == "CA-mid" && c.RecordingBlobName != null)));
        // Storage itself (not through the proxy) holds nothing of it, committed or not.
        var direct = new BlobContainerClient(azurite.ConnectionString, Container);
        Assert.Equal(["CA-before"], await BlobCallSidsAsync(direct));

        proxy.CutAfterBytes = null;
        app.Time.Advance(TimeSpan.FromSeconds(10));
        await WaitForProcessedAsync(app, "CA-mid");

        Assert.Equal(["CA-before", "CA-mid"], await BlobCallSidsAsync(direct));
        var call = await app.WithDbAsync(d => d.Calls.AsNoTracking().SingleAsync(c => c.CallSid == "CA-mid"));
        Assert.EndsWith($"/CA-mid_{sentAt}.mp3", call.RecordingBlobName);
        var manager = await app.ClientForRoleAsync(UserRole.Manager);
        var recording = await manager.GetAsync(call.RecordingUrl);
        Assert.Equal(HttpStatusCode.OK, recording.StatusCode);
        Assert.Equal(audio, await recording.Content.ReadAsByteArrayAsync());
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_local_disk_filling_up_mid_write_leaves_no_partial_file_and_the_retry_lands_the_recording(Db db)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("estate-diskfull-").FullName;
        var disk = new DiskSpace { FreeBytes = 10_000 };
        try
        {
            await using var app = await AppFactory.CreateAsync(db, ElevenLabsWebhook.Settings(new() { ["DATA_DIR"] = dataDirectory }),
                services =>
                {
                    services.RemoveAll<IBlobStore>();
                    services.AddSingleton<IBlobStore>(sp => new FileSystemBlobStore(sp.GetRequiredService<StorageOptions>(),
                        path => new DiskFullStream(path, disk)));
                });
            var recordings = Path.Combine(dataDirectory, "recordings");
            var audio = Payloads.Mp3(40_000, seed: 3);

            var reply = await app.CreateClient().PostSignedJsonAsync(app, Payloads.SeedAudio(app.Now(), "CA-full", audio));

            Assert.Equal((true, "pending"), (reply.GetProperty("success").GetBoolean(), reply.GetProperty("status").GetString()));
            Assert.True(disk.Refusals >= 1, "the write ran out of space");
            var pending = await app.WithDbAsync(d => d.ElevenLabsEventLogs.AsNoTracking().SingleAsync());
            Assert.Equal(WebhookProcessingState.Pending, pending.ProcessingState);
            // Says what and where: the folder, its setting, and the system's own words.
            Assert.Contains($"Cannot write to the local recordings folder '{recordings}' (DATA_DIR/recordings): No space left on device", pending.LastError);
            Assert.True(pending.RawPayload.Length > audio.Length * 4 / 3, "the audio is kept for the retry");
            Assert.Equal(0, await app.WithDbAsync(d => d.Calls.CountAsync()));
            Assert.Empty(Directory.GetFiles(recordings, "*", SearchOption.AllDirectories)); // the partial temp file is gone

            disk.FreeBytes = long.MaxValue; // space freed
            app.Time.Advance(TimeSpan.FromSeconds(10));
            await WaitForProcessedAsync(app, "CA-full");

            var call = await app.WithDbAsync(d => d.Calls.AsNoTracking().SingleAsync());
            Assert.Equal(audio, await PostCallEventTests.ReadBlobAsync(app, call.RecordingBlobName!));
            var files = Directory.GetFiles(recordings, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(recordings, f)).Order();
            Assert.Equal([call.RecordingBlobName!, call.RecordingBlobName + ".meta.json"], files);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task<List<string>> BlobCallSidsAsync(BlobContainerClient container)
    {
        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { States = BlobStates.All }))
            names.Add(Path.GetFileName(item.Name).Split('_')[0]);
        return [.. names.Order()];
    }

    private static async Task WaitForProcessedAsync(AppFactory app, string callSid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var row = await app.WithDbAsync(d => d.ElevenLabsEventLogs.AsNoTracking().SingleAsync(e => e.CallSid == callSid));
            if (row.ProcessingState == WebhookProcessingState.Processed) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"event stayed {row.ProcessingState} ({row.LastError})");
            await Task.Delay(25);
        }
    }

    /// <summary>The free space of a pretend disk, shared by the files written on it.</summary>
    private sealed class DiskSpace
    {
        private long free;
        public int Refusals;
        public long FreeBytes { get => Interlocked.Read(ref free); set => Interlocked.Exchange(ref free, value); }

        /// <summary>Takes up to <paramref name="wanted"/> bytes; fewer when the disk is full.</summary>
        public int Take(int wanted)
        {
            while (true)
            {
                var now = FreeBytes;
                var granted = (int)Math.Min(wanted, now);
                if (Interlocked.CompareExchange(ref free, now - granted, now) == now) return granted;
            }
        }
    }

    /// <summary>
    /// A real file whose writes stop when the pretend disk is full: the bytes that fit are written, then the write
    /// fails as the OS reports a full disk (ENOSPC, errno 28) — there is no small tmpfs to fill without root.
    /// </summary>
    private sealed class DiskFullStream(string path, DiskSpace disk) : Stream
    {
        private const int Enospc = 28;
        private readonly FileStream file = new(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => file.Length;
        public override long Position { get => file.Position; set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var fits = disk.Take(buffer.Length);
            await file.WriteAsync(buffer[..fits], cancellationToken);
            if (fits < buffer.Length) throw Full();
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count)
        {
            var fits = disk.Take(count);
            file.Write(buffer, offset, fits);
            if (fits < count) throw Full();
        }

        public override void Flush() => file.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => file.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            await file.DisposeAsync();
            await base.DisposeAsync();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) file.Dispose();
            base.Dispose(disposing);
        }

        private IOException Full()
        {
            Interlocked.Increment(ref disk.Refusals);
            return new IOException($"No space left on device : '{file.Name}'", Enospc);
        }
    }
}
