using System.Globalization;
using EstateVoice.CallSimulator;
using EstateVoice.Server.Tests.Features.Voice.Fakes;

namespace EstateVoice.Server.Tests.Features.Voice;

/// <summary>
/// OpenTelemetry adds up same-named meters across the process, so every test app's calls count in any app's
/// /metrics: these run alone (after the parallel tests) to see exactly this call come and go.
/// </summary>
[CollectionDefinition(nameof(ActiveCallsGaugeTests), DisableParallelization = true)]
public sealed class ActiveCallsGaugeCollection;

[Collection(nameof(ActiveCallsGaugeTests))]
public sealed class ActiveCallsGaugeTests
{
    [Fact]
    public async Task Metrics_count_a_call_as_active_while_its_stream_runs_and_not_after()
    {
        await using var app = new VoiceAppFactory { Tts = new ToneTextToSpeech(msPerWord: 10) };
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        var before = await ActiveCallsAsync(http);

        var (caller, callId) = await app.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            Assert.Equal(before + 1, await ActiveCallsAsync(http));
            await caller.StopAsync();
            await caller.WaitUntilAsync(() => app.CallEndedAsync(callId));
        }
        // The session lets go of the call just after writing its final status.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await ActiveCallsAsync(http) != before) await Task.Delay(50, timeout.Token);
    }

    [Fact]
    public async Task A_refused_stream_is_never_counted_as_an_active_call()
    {
        await using var app = new VoiceAppFactory();
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        var before = await ActiveCallsAsync(http);
        var (callId, _) = await app.RegisterCallAsync();
        await using var caller = new SimulatedCall();
        await caller.ConnectAsync(app.WebSocketUri(Server.Features.Voice.MediaStreamEndpoint.TwilioPath));
        await caller.StartAsync(callId, "not-the-token");
        await caller.WaitUntilAsync(() => caller.CloseStatus is not null);
        Assert.Equal(before, await ActiveCallsAsync(http));
    }

    /// <summary>voice_calls_active on /metrics (0 before any call has been counted).</summary>
    private static async Task<double> ActiveCallsAsync(HttpClient http)
    {
        var metrics = await http.GetStringAsync("/metrics");
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("voice_calls_active", StringComparison.Ordinal) && !l.StartsWith("voice_calls_active_", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture); // name{labels} value timestamp
    }
}
