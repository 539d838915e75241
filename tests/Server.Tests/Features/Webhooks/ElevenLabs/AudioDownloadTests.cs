using EstateVoice.Server.Features.Webhooks.ElevenLabs;
using EstateVoice.Server.Tests.Fakes;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Webhooks.ElevenLabs;

public class AudioDownloadTests : IAsyncLifetime
{
    private FakeElevenLabsApi api = null!;
    private AppFactory app = null!;

    public async Task InitializeAsync()
    {
        api = await FakeElevenLabsApi.StartAsync();
        app = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings(new()
        {
            ["ELEVENLABS_API_URL"] = api.BaseUrl.ToString(), ["ELEVENLABS_API_URL_ALLOW_LOCAL"] = "true", ["ELEVENLABS_API_KEY"] = "xi-test-key",
            ["ELEVENLABS_DOWNLOAD_TIMEOUT_SECONDS"] = "1", ["ELEVENLABS_MAX_AUDIO_BYTES"] = "1000000",
        }));
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await api.DisposeAsync();
    }

    [Fact]
    public async Task A_200_download_is_stored_and_the_api_key_sent()
    {
        var body = await app.CreateClient().PostSignedJsonAsync(app, Payloads.SeedAudio(app.Now(), "CA-dl", audioUrl: new Uri(api.BaseUrl, "audio/ok").ToString()));

        Assert.Equal("processed", body.GetProperty("status").GetString());
        var call = await app.WithDbAsync(d => d.Calls.SingleAsync());
        Assert.Equal(api.Audio, await PostCallEventTests.ReadBlobAsync(app, call.RecordingBlobName!));
        Assert.Equal("xi-test-key", Assert.Single(api.ApiKeys));
    }

    [Fact]
    public async Task A_404_fails_the_event_without_a_recording_and_the_reply_does_not_say_what_the_server_answered()
    {
        var body = await app.CreateClient().PostSignedJsonAsync(app, Payloads.SeedAudio(app.Now(), "CA-404", audioUrl: new Uri(api.BaseUrl, "audio/missing").ToString()));

        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal(AudioUnavailableException.ReplyError, body.GetProperty("error").GetString());
        var log = await app.WithDbAsync(d => d.ElevenLabsEventLogs.SingleAsync());
        Assert.Equal(WebhookProcessingState.Failed, log.ProcessingState);
        Assert.Contains("404", log.LastError);
        Assert.Equal(0, await app.WithDbAsync(d => d.Calls.CountAsync()));
    }

    [Fact]
    public async Task A_slow_download_times_out_and_stays_pending_for_a_retry()
    {
        var started = DateTime.UtcNow;
        var body = await app.CreateClient().PostSignedJsonAsync(app, Payloads.SeedAudio(app.Now(), "CA-slow", audioUrl: new Uri(api.BaseUrl, "audio/slow").ToString()));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        Assert.Equal("pending", body.GetProperty("status").GetString());
        var log = await app.WithDbAsync(d => d.ElevenLabsEventLogs.SingleAsync());
        Assert.Equal(WebhookProcessingState.Pending, log.ProcessingState);
        Assert.Contains("timed out", log.LastError);
        Assert.Equal(app.Time.GetUtcNow().AddSeconds(10), log.NextAttemptAt);
    }

    [Fact]
    public async Task An_oversized_download_is_cut_off_and_fails()
    {
        var body = await app.CreateClient().PostSignedJsonAsync(app, Payloads.SeedAudio(app.Now(), "CA-huge", audioUrl: new Uri(api.BaseUrl, "audio/huge").ToString()));

        Assert.False(body.GetProperty("success").GetBoolean());
        var log = await app.WithDbAsync(d => d.ElevenLabsEventLogs.SingleAsync());
        Assert.Equal(WebhookProcessingState.Failed, log.ProcessingState);
        Assert.Contains("limit", log.LastError);
    }

    [Fact]
    public async Task A_web_page_is_not_stored_as_a_recording()
    {
        var body = await app.CreateClient().PostSignedJsonAsync(app, Payloads.SeedAudio(app.Now(), "CA-html", audioUrl: new Uri(api.BaseUrl, "audio/html").ToString()));

        Assert.Equal(AudioUnavailableException.ReplyError, body.GetProperty("error").GetString());
        var log = await app.WithDbAsync(d => d.ElevenLabsEventLogs.SingleAsync());
        Assert.Equal(WebhookProcessingState.Failed, log.ProcessingState);
        Assert.Contains("text/html", log.LastError);
        Assert.Equal(0, await app.WithDbAsync(d => d.Calls.CountAsync()));
    }

    [Fact]
    public async Task Another_host_on_the_same_server_is_refused_without_a_request()
    {
        var foreign = new UriBuilder(new Uri(api.BaseUrl, "audio/ok")) { Host = "localhost" }.Uri; // same server, different host name

        var body = await app.CreateClient().PostSignedJsonAsync(app, Payloads.SeedAudio(app.Now(), "CA-foreign", audioUrl: foreign.ToString()));

        Assert.Equal(AudioUnavailableException.ReplyError, body.GetProperty("error").GetString());
        Assert.Empty(api.ApiKeys);
        Assert.Contains("not https", (await app.WithDbAsync(d => d.ElevenLabsEventLogs.SingleAsync())).LastError);
    }
}
