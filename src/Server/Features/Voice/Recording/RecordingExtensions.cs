using EstateVoice.Server.Infrastructure.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EstateVoice.Server.Features.Voice.Recording;

public static class RecordingExtensions
{
    /// <summary>Recordings of our own calls: options from the environment, the per-call side, the background encoder.</summary>
    public static IHostApplicationBuilder AddCallRecordings(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(_ => RecordingOptions.From(builder.Configuration, builder.Services.GetDemoOptions().DataDirectory));
        services.TryAddSingleton<IRecordingRowWriter, EfRecordingRowWriter>();
        services.TryAddSingleton(sp => new RecordingDiskWriter(RecordingDiskWriter.DefaultCapacity, sp.GetService<IRecordingFileSink>()));
        services.TryAddSingleton<RecordingEncoder>();
        services.AddHostedService(sp => sp.GetRequiredService<RecordingEncoder>());
        services.TryAddSingleton<CallRecordings>();
        return builder;
    }
}
