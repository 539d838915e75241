using EstateVoice.Server.Tests.Features.Voice.Fakes;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice;

public sealed class VoiceMetricsTests
{
    [Fact]
    public async Task Metrics_show_the_voice_latency_histograms_after_a_call()
    {
        var stt = new ScriptedSpeechToText("I'm looking to buy in Austin.");
        await using var app = new VoiceAppFactory { Stt = stt, Tts = new ToneTextToSpeech(msPerWord: 10) };
        await VoiceListings.SeedAsync(app);
        var (caller, callId) = await app.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("buyer-intent"));
            await caller.StopAsync();
            await caller.WaitUntilAsync(() => app.CallEndedAsync(callId));
        }

        using var http = new HttpClient { BaseAddress = app.BaseUri };
        var metrics = await http.GetStringAsync("/metrics");
        // One agent turn after a caller turn: every stage of its latency was measured and exported.
        foreach (var histogram in new[] { "voice_turn_stt_latency", "voice_turn_llm_first_token", "voice_turn_tts_first_byte", "voice_turn_first_audio" })
        {
            var count = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(histogram, StringComparison.Ordinal) && l.Contains("_count", StringComparison.Ordinal));
            Assert.True(count is not null, $"{histogram} missing from /metrics");
            Assert.True(double.Parse(count.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture) >= 1, count);
        }
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("voice_turn_first_audio", StringComparison.Ordinal) && l.Contains("_bucket", StringComparison.Ordinal));
        var calls = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("voice_calls_total{", StringComparison.Ordinal));
        Assert.True(calls is not null, "voice_calls_total missing from /metrics");
        // At least: OpenTelemetry listens to meters by name across the process, so apps of tests running alongside add theirs.
        Assert.True(double.Parse(calls.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) >= 1, calls);
    }
}
