using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EstateVoice.Server.Features.Storage;
using EstateVoice.Server.Tests.Features.Webhooks.ElevenLabs;
using EstateVoice.Server.Tests.Infrastructure;

namespace EstateVoice.Server.Tests.Features.Storage;

public class AzureBlobStoreTests : IAsyncLifetime
{
    private AzuriteServer azurite = null!;
    private StorageOptions options = null!;

    public async Task InitializeAsync()
    {
        azurite = await AzuriteServer.StartNewAsync();
        options = new StorageOptions { AzureConnectionString = azurite.ConnectionString, ContainerName = "recordings-" + Guid.NewGuid().ToString("N")[..8] };
    }

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    [Fact]
    public async Task Upload_then_read_back_bytes_content_type_and_metadata()
    {
        IBlobStore store = new AzureBlobStore(options);
        var bytes = Payloads.Mp3(300_000, seed: 3);
        var metadata = new Dictionary<string, string> { ["source"] = "elevenlabs", ["event_type"] = "post_call_audio", ["call_sid"] = "CA1" };

        await store.UploadAsync("elevenlabs/2026-11-25/CA1_1764082800.mp3", new MemoryStream(bytes), "audio/mpeg", metadata, default);
        await using var blob = await store.OpenReadAsync("elevenlabs/2026-11-25/CA1_1764082800.mp3", default);

        Assert.NotNull(blob);
        Assert.Equal(("audio/mpeg", 300_000L), (blob.Info.ContentType, blob.Info.Length));
        Assert.Equal(metadata, blob.Info.Metadata);
        using var all = new MemoryStream();
        await blob.Content.CopyToAsync(all);
        Assert.Equal(bytes, all.ToArray());
        // Range reads seek: the recording endpoint relies on it.
        Assert.True(blob.Content.CanSeek);
        blob.Content.Seek(250_000, SeekOrigin.Begin);
        var tail = new byte[16];
        await blob.Content.ReadExactlyAsync(tail);
        Assert.Equal(bytes[250_000..250_016], tail);
    }

    [Fact]
    public async Task The_container_is_created_private_and_anonymous_reads_fail()
    {
        IBlobStore store = new AzureBlobStore(options);
        await store.UploadAsync("elevenlabs/x.mp3", new MemoryStream([1, 2, 3]), "audio/mpeg", new Dictionary<string, string>(), default);

        var container = new BlobContainerClient(azurite.ConnectionString, options.ContainerName);
        var properties = await container.GetPropertiesAsync();
        Assert.Equal(PublicAccessType.None, properties.Value.PublicAccess);
        using var anonymous = new HttpClient();
        var response = await anonymous.GetAsync($"http://127.0.0.1:{azurite.Port}/devstoreaccount1/{options.ContainerName}/elevenlabs/x.mp3");
        Assert.False(response.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Uploading_the_same_name_again_replaces_the_blob_and_missing_names_are_null()
    {
        IBlobStore store = new AzureBlobStore(options);
        await store.UploadAsync("a/b.mp3", new MemoryStream([1, 2, 3]), "audio/mpeg", new Dictionary<string, string>(), default);
        await store.UploadAsync("a/b.mp3", new MemoryStream([4, 5]), "audio/mpeg", new Dictionary<string, string>(), default);

        Assert.Equal(2, (await store.GetInfoAsync("a/b.mp3", default))!.Length);
        Assert.Null(await store.GetInfoAsync("a/none.mp3", default));
        Assert.Null(await store.OpenReadAsync("a/none.mp3", default));
        var names = new List<string>();
        await foreach (var item in new BlobContainerClient(azurite.ConnectionString, options.ContainerName).GetBlobsAsync()) names.Add(item.Name);
        Assert.Equal(["a/b.mp3"], names);
    }

    [Fact]
    public async Task Names_that_could_escape_are_refused()
    {
        IBlobStore store = new AzureBlobStore(options);
        await Assert.ThrowsAsync<InvalidBlobNameException>(() => store.UploadAsync("../x.mp3", new MemoryStream([1]), "audio/mpeg", new Dictionary<string, string>(), default));
        await Assert.ThrowsAsync<InvalidBlobNameException>(() => store.GetInfoAsync("/abs.mp3", default));
    }
}
