using System.Net;
using EstateVoice.Server.Features.Voice.Providers.Deepgram;
using EstateVoice.Server.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Tests.Features.Voice.Providers;

public sealed class DeepgramTextToSpeechTests : IAsyncLifetime
{
    private FakeDeepgramServer _fake = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeDeepgramServer.StartAsync();
        _http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Streams_the_first_audio_before_the_response_body_ends()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _fake.HoldSpeakAfterFirstChunk = hold;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await using var chunks = Tts().SynthesizeAsync("Thanks for calling Acme Realty.", timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await chunks.MoveNextAsync()); // would hang until the timeout if the client buffered the whole body
        var first = chunks.Current.ToArray();
        Assert.False(hold.Task.IsCompleted);
        hold.SetResult();
        var rest = new List<byte>();
        while (await chunks.MoveNextAsync()) rest.AddRange(chunks.Current.ToArray());

        Assert.Equal(FakeDeepgramServer.SpeakBytesFor("Thanks for calling Acme Realty."), first.Concat(rest).ToArray());
        Assert.Equal(800, first.Length);
    }

    [Fact]
    public async Task Requests_raw_mulaw_at_8_kHz_with_token_auth_and_the_text_as_json()
    {
        await foreach (var _ in Tts().SynthesizeAsync("Hello there.", CancellationToken.None)) { }

        var (query, text, authorization) = Assert.Single(_fake.SpeakRequests);
        Assert.Equal("Hello there.", text);
        Assert.Equal("Token " + FakeDeepgramServer.ApiKey, authorization);
        Assert.Contains("model=aura-2-thalia-en", query);
        Assert.Contains("encoding=mulaw", query);
        Assert.Contains("sample_rate=8000", query);
        Assert.Contains("container=none", query);
    }

    [Fact]
    public async Task Provider_errors_surface_as_HttpRequestException_with_the_status()
    {
        _fake.SpeakStatusCode = 429;

        var error = await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (var _ in Tts().SynthesizeAsync("Hello.", CancellationToken.None)) { }
        });
        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
    }

    [Fact]
    public async Task Times_out_when_the_provider_stalls_before_answering()
    {
        _fake.StallSpeakBeforeHeaders = new TaskCompletionSource();
        var tts = Tts(o => o.TtsFirstByteTimeout = TimeSpan.FromMilliseconds(200));

        var started = TimeProvider.System.GetTimestamp();
        await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            await foreach (var _ in tts.SynthesizeAsync("Hi.", CancellationToken.None)) { }
        });
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(5));
        _fake.StallSpeakBeforeHeaders.SetResult();
    }

    private DeepgramTextToSpeech Tts(Action<DeepgramOptions>? configure = null)
    {
        var options = new DeepgramOptions { ApiKey = FakeDeepgramServer.ApiKey, ApiUrl = _fake.BaseUrl };
        configure?.Invoke(options);
        return new DeepgramTextToSpeech(_http, Options.Create(options));
    }
}
