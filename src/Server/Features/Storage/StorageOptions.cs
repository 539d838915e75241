namespace EstateVoice.Server.Features.Storage;

/// <summary>
/// Azure Blob when <c>AZURE_STORAGE_CONNECTION_STRING</c> is set (container <c>AZURE_STORAGE_CONTAINER_NAME</c>,
/// default "recordings"); otherwise the offline default, a folder under <c>DATA_DIR</c>.
/// </summary>
public sealed class StorageOptions
{
    public string? AzureConnectionString { get; set; }
    public string ContainerName { get; set; } = "recordings";
    public string LocalDirectory { get; set; } = Path.GetFullPath(Path.Combine("data", "recordings"));

    public bool UsesAzure => !string.IsNullOrWhiteSpace(AzureConnectionString);

    public static StorageOptions From(IConfiguration configuration, string dataDirectory) => new()
    {
        AzureConnectionString = configuration["AZURE_STORAGE_CONNECTION_STRING"] is { Length: > 0 } cs ? cs : null,
        ContainerName = configuration["AZURE_STORAGE_CONTAINER_NAME"] is { Length: > 0 } container ? container : "recordings",
        LocalDirectory = Path.Combine(dataDirectory, "recordings"),
    };
}
