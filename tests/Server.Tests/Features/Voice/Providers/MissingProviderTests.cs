using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.Server.Features.Voice.Providers;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EstateVoice.Server.Tests.Features.Voice.Providers;

/// <summary>A missing offline recogniser is a startup error and a degraded /health, not a call that hears nothing.</summary>
public sealed class MissingProviderTests
{
    [Fact]
    public async Task Missing_pocketsphinx_model_is_a_startup_error_and_health_is_degraded_naming_it()
    {
        var missingDir = Path.Combine(Path.GetTempPath(), "no-pocketsphinx-" + Guid.NewGuid().ToString("N"));
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, new() { ["STT_PROVIDER"] = "local", ["POCKETSPHINX_MODEL_DIR"] = missingDir });
        var logs = new CapturedLogs();
        // A second host over the same database with the log capture in place before it starts: the error is logged at startup.
        await using var started = app.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));

        var response = await started.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // degraded still serves: the CRM and typed test calls work
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        var voice = health.GetProperty("checks").GetProperty("voice");
        Assert.Equal("degraded", voice.GetProperty("status").GetString());
        Assert.Contains("pocketsphinx", voice.GetProperty("description").GetString());
        Assert.Contains(missingDir, voice.GetProperty("description").GetString());
        var error = Assert.Single(logs.Errors, e => e.Message.StartsWith("voice_provider_missing", StringComparison.Ordinal));
        Assert.Contains("speech-to-text: pocketsphinx is missing", error.Message);
        Assert.IsType<NullSpeechToText>(started.Services.GetRequiredService<ISpeechToText>());
    }

    [Fact]
    public async Task Installed_pocketsphinx_reports_healthy_voice_with_the_providers_in_use()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, new() { ["STT_PROVIDER"] = "local" });

        var health = await app.CreateClient().GetFromJsonAsync<JsonElement>("/health");

        var voice = health.GetProperty("checks").GetProperty("voice");
        Assert.Equal("healthy", voice.GetProperty("status").GetString());
        Assert.Contains("speech-to-text local", voice.GetProperty("description").GetString());
        Assert.IsNotType<NullSpeechToText>(app.Services.GetRequiredService<ISpeechToText>());
    }
}
