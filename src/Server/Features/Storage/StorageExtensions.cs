using EstateVoice.Server.Infrastructure.Configuration;

namespace EstateVoice.Server.Features.Storage;

public static class StorageExtensions
{
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        var options = StorageOptions.From(builder.Configuration, builder.Services.GetDemoOptions().DataDirectory);
        builder.Services.AddSingleton(options);
        if (options.UsesAzure)
            builder.Services.AddSingleton<IBlobStore, AzureBlobStore>();
        else
            builder.Services.AddSingleton<IBlobStore, FileSystemBlobStore>();
        return builder;
    }
}
