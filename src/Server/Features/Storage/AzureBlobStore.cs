using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace EstateVoice.Server.Features.Storage;

/// <summary>
/// Recordings in one private Azure Blob container (created on first use). Blobs are never given public access:
/// listeners reach them through our authenticated /calls/{id}/recording.
/// </summary>
internal sealed class AzureBlobStore : IBlobStore
{
    private readonly BlobContainerClient container;
    private volatile bool containerReady;

    public AzureBlobStore(StorageOptions options)
    {
        // Few, quick SDK retries: a failed upload is retried by the webhook worker with its own backoff,
        // and a request thread should not hang for a minute while storage is down.
        var clientOptions = new BlobClientOptions();
        clientOptions.Retry.MaxRetries = 2;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(200);
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(60);
        container = new BlobContainerClient(options.AzureConnectionString, options.ContainerName, clientOptions);
    }

    public async Task UploadAsync(string name, Stream content, string contentType, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(BlobNames.Validate(name));
        var upload = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
            Metadata = new Dictionary<string, string>(metadata),
        };
        await EnsureContainerAsync(cancellationToken);
        var start = content.CanSeek ? content.Position : -1;
        try
        {
            await blob.UploadAsync(content, upload, cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound && start >= 0)
        {
            // The container went away after we created it (deleted, or storage restored from an older state): make it again.
            containerReady = false;
            await EnsureContainerAsync(cancellationToken);
            content.Position = start;
            await blob.UploadAsync(content, upload, cancellationToken);
        }
    }

    public async Task<BlobInfo?> GetInfoAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var properties = (await container.GetBlobClient(BlobNames.Validate(name)).GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            return ToInfo(properties);
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    public async Task<OpenedBlob?> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(BlobNames.Validate(name));
        try
        {
            var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            // A seekable stream that fetches ranges lazily; pinned to this version so a replaced blob fails instead of mixing bytes.
            var stream = await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false)
            {
                Conditions = new BlobRequestConditions { IfMatch = properties.ETag },
            }, cancellationToken);
            return new OpenedBlob(stream, ToInfo(properties));
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        await container.GetBlobClient(BlobNames.Validate(name)).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (containerReady) return;
        await container.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken);
        containerReady = true;
    }

    private static BlobInfo ToInfo(BlobProperties properties) => new(
        properties.ContentLength, properties.ContentType ?? "application/octet-stream",
        new Dictionary<string, string>(properties.Metadata), properties.LastModified, properties.ETag.ToString("H"));
}
