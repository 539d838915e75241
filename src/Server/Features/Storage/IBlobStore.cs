namespace EstateVoice.Server.Features.Storage;

/// <summary>What a stored object looks like from outside: enough to stream it with ranges and conditional requests.</summary>
public sealed record BlobInfo(long Length, string ContentType, IReadOnlyDictionary<string, string> Metadata, DateTimeOffset? LastModified, string? ETag);

/// <summary>An opened blob: a seekable stream (so range requests can seek) and its properties.</summary>
public sealed record OpenedBlob(Stream Content, BlobInfo Info) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}

/// <summary>
/// Where recordings live. Names are '/'-separated keys ("elevenlabs/2026-11-25/CA123_1764082800.mp3");
/// uploading the same name again replaces the object, so retried work converges on one blob.
/// </summary>
public interface IBlobStore
{
    Task UploadAsync(string name, Stream content, string contentType, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);

    /// <summary>Null when there is no such blob.</summary>
    Task<BlobInfo?> GetInfoAsync(string name, CancellationToken cancellationToken);

    /// <summary>Null when there is no such blob. The stream is seekable.</summary>
    Task<OpenedBlob?> OpenReadAsync(string name, CancellationToken cancellationToken);

    /// <summary>Removes the blob if it exists (the admin storage test cleans up after itself).</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);
}

/// <summary>Raised for names that could escape the store (.., absolute paths, odd characters).</summary>
public sealed class InvalidBlobNameException(string name) : ArgumentException($"'{name}' is not a valid blob name.");

internal static class BlobNames
{
    /// <summary>Segments of letters, digits, '-', '_', '.'; no empty, '.' or '..' segments.</summary>
    public static string Validate(string name)
    {
        var segments = name.Split('/');
        if (name.Length is 0 or > 512 || segments.Any(s => s is "" or "." or ".." || !s.All(IsAllowed)))
            throw new InvalidBlobNameException(name);
        return name;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';
}
