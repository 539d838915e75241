using System.Globalization;
using System.Text.Json;

namespace EstateVoice.Server.Features.Storage;

/// <summary>
/// The offline default: blobs as files under <see cref="StorageOptions.LocalDirectory"/>, with content type and
/// metadata in a "&lt;name&gt;.meta.json" sidecar. Writes go to a temp file that is then renamed, so a reader never
/// sees half a recording.
/// </summary>
internal sealed class FileSystemBlobStore(StorageOptions options) : IBlobStore
{
    private sealed record Sidecar(string ContentType, Dictionary<string, string> Metadata);

    // Opens the temp file a blob is written to before it is renamed into place (tests put a full disk behind it).
    private readonly Func<string, Stream> _createTemp = static path =>
        new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);

    internal FileSystemBlobStore(StorageOptions options, Func<string, Stream> createTemp) : this(options) => _createTemp = createTemp;

    public async Task UploadAsync(string name, Stream content, string contentType, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(PathOf(name), content, contentType, metadata, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // "Access denied", "No space left on device" or "file already exists" alone do not say where or why:
            // name the folder and its setting so an operator can fix it; the caller keeps the work for a retry.
            throw new IOException($"Cannot write to the local recordings folder '{options.LocalDirectory}' (DATA_DIR/recordings): {e.Message}", e);
        }
    }

    private async Task WriteAsync(string path, Stream content, string contentType, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = _createTemp(temp))
            {
                await content.CopyToAsync(file, cancellationToken);
                await file.FlushAsync(cancellationToken);
                if (file is FileStream onDisk) onDisk.Flush(flushToDisk: true);
            }
            await File.WriteAllTextAsync(temp + ".meta", JsonSerializer.Serialize(new Sidecar(contentType, new(metadata))), cancellationToken);
            File.Move(temp + ".meta", path + ".meta.json", overwrite: true);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
            File.Delete(temp + ".meta");
        }
    }

    public async Task<BlobInfo?> GetInfoAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        var file = new FileInfo(path);
        if (!file.Exists) return null;
        var sidecar = File.Exists(path + ".meta.json")
            ? JsonSerializer.Deserialize<Sidecar>(await File.ReadAllTextAsync(path + ".meta.json", cancellationToken))
            : null;
        var lastModified = new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero);
        return new BlobInfo(file.Length, sidecar?.ContentType ?? "application/octet-stream", sidecar?.Metadata ?? [],
            lastModified, $"\"{file.Length.ToString(CultureInfo.InvariantCulture)}-{lastModified.UtcTicks.ToString(CultureInfo.InvariantCulture)}\"");
    }

    public async Task<OpenedBlob?> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        var info = await GetInfoAsync(name, cancellationToken);
        if (info is null) return null;
        try
        {
            return new OpenedBlob(new FileStream(PathOf(name), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true), info);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        File.Delete(path);
        File.Delete(path + ".meta.json");
        return Task.CompletedTask;
    }

    private string PathOf(string name) => Path.Combine(options.LocalDirectory, BlobNames.Validate(name).Replace('/', Path.DirectorySeparatorChar));
}
