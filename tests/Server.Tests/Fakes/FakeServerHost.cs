using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace EstateVoice.Server.Tests.Fakes;

/// <summary>A minimal Kestrel app on 127.0.0.1 with a free port, for in-process fakes of cloud services.</summary>
public static class FakeServerHost
{
    public static async Task<WebApplication> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets();
        map(app);
        await app.StartAsync();
        return app;
    }

    /// <summary>The bound base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public static string BaseUrl(this WebApplication app) => app.Urls.First().TrimEnd('/');
}
