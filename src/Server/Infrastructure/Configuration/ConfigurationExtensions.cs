namespace EstateVoice.Server.Infrastructure.Configuration;

public static class ConfigurationExtensions
{
    public static WebApplicationBuilder AddAppConfiguration(this WebApplicationBuilder builder)
    {
        // HOST/PORT as in the seed (default http://127.0.0.1:8000) unless ASP.NET's own URL settings are given.
        if (string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]) && string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            var host = builder.Configuration["HOST"] is { Length: > 0 } h ? h : "127.0.0.1";
            var port = builder.Configuration["PORT"] is { Length: > 0 } p ? p : "8000";
            builder.WebHost.UseUrls($"http://{host}:{port}");
        }
        builder.Services.AddSingleton(DemoOptions.From(builder.Configuration));
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>The demo options registered by <see cref="AddAppConfiguration"/>, for use while services are still being added.</summary>
    public static DemoOptions GetDemoOptions(this IServiceCollection services) =>
        services.LastOrDefault(d => d.ServiceType == typeof(DemoOptions))?.ImplementationInstance as DemoOptions
        ?? throw new InvalidOperationException("AddAppConfiguration() must run before features that read demo options.");
}
