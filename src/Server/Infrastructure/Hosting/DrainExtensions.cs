using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Infrastructure.Hosting;

public static class DrainExtensions
{
    /// <summary>Graceful drain on SIGTERM (<see cref="NodeDrain"/>) and its readiness check.</summary>
    public static IHostApplicationBuilder AddDrain(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DrainOptions>().Bind(builder.Configuration.GetSection(DrainOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        // Raised, never lowered: a longer ShutdownTimeout configured on purpose stays.
        services.AddOptions<HostOptions>().PostConfigure<IOptions<DrainOptions>>((host, drain) =>
        {
            if (host.ShutdownTimeout != System.Threading.Timeout.InfiniteTimeSpan && host.ShutdownTimeout < drain.Value.ShutdownTimeout)
                host.ShutdownTimeout = drain.Value.ShutdownTimeout;
        });
        services.AddSingleton<NodeDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeDrain>());
        services.AddHealthChecks().AddCheck<DrainHealthCheck>(DrainHealthCheck.Name, tags: [DrainHealthCheck.ReadyTag]);
        return builder;
    }
}
