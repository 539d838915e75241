using System.Collections.Concurrent;
using EstateVoice.CallSimulator;
using EstateVoice.Server.Tests.Infrastructure;

namespace EstateVoice.Bench.VoiceLoop;

/// <summary>
/// <c>--mode v2v</c>: the silence a caller hears — their end of speech to the agent's first audio — with
/// anchor-typical provider latencies (STT final 250 ms after 300 ms endpointing, LLM first token 500 ms, TTS first
/// byte 150 ms), once with speculative replies off and once on (a fresh server each), and how often a speculation
/// was thrown away. The fake STT sends interim results before its finals (<see cref="FakeInterims"/>), or a
/// speculation would have nothing to start on. Exits 1 if the p50 with speculation misses 800 ms or a call failed.
/// </summary>
public static class VoiceToVoice
{
    public static readonly FixedLatency Anchor = new(SttFinalMs: 250, LlmFirstTokenMs: 500, TtsFirstByteMs: 150, EndpointingMs: 300);
    public const double TargetP50Ms = 800;

    public static async Task<int> RunAsync(IReadOnlyList<string> transcripts, byte[][] audio,
        Func<string, string?> arg)
    {
        var calls = int.Parse(arg("--calls") ?? "20");
        var warmup = int.Parse(arg("--warmup-calls") ?? "5");
        var interims = new FakeInterims(
            EveryMs: int.Parse(arg("--interim-every-ms") ?? "500"),
            LagMs: int.Parse(arg("--interim-lag-ms") ?? "100"),
            MismatchEvery: int.Parse(arg("--interim-mismatch-every") ?? "5"));

        var fakes = WebApplication.CreateBuilder();
        fakes.Logging.ClearProviders();
        fakes.WebHost.UseUrls("http://127.0.0.1:0");
        fakes.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        await using var fakeApp = fakes.Build();
        fakeApp.UseWebSockets();
        FakeDeepgram.Map(fakeApp, Anchor, transcripts, interims);
        FakeAzureOpenAI.Map(fakeApp, Anchor);
        await fakeApp.StartAsync();
        var fakeUrl = fakeApp.Urls.First();

        Console.WriteLine($"Voice-to-voice benchmark — STT final {Anchor.SttFinalMs} ms after {Anchor.EndpointingMs} ms endpointing, " +
                          $"LLM first token {Anchor.LlmFirstTokenMs} ms, TTS first byte {Anchor.TtsFirstByteMs} ms; {Environment.ProcessorCount} cores");
        Console.WriteLine($"fake STT interims: first half of the words every {interims.EveryMs} ms of speech, the whole line {interims.LagMs} ms " +
                          $"after the caller's last voiced audio ({(interims.MismatchEvery > 0 ? $"every {interims.MismatchEvery}th still lacks its last word" : "always right")})");
        Console.WriteLine($"{calls} calls × {audio.Length} turns per run ({warmup} warm-up calls first, not reported); v2v = caller end of speech → first agent audio frame");

        var off = await RunServerAsync(speculative: false);
        var on = await RunServerAsync(speculative: true);
        var pass = on.P50 <= TargetP50Ms && off.Failures + on.Failures == 0;
        Console.WriteLine($"""

            voice-to-voice ms, speculation off   {Percentiles.Summary(off.Latencies)}  (failures: {off.Failures})
            voice-to-voice ms, speculation on    {Percentiles.Summary(on.Latencies)}  (failures: {on.Failures})
              p50 {off.P50 - on.P50:0} ms shorter, p95 {Percentiles.Of(off.Latencies, 95) - Percentiles.Of(on.Latencies, 95):0} ms shorter
              speculations: {on.Speculations.Used} used, {on.Speculations.Discarded} discarded (final differed), {on.Speculations.Cancelled} cancelled (caller went on)
              discarded: {on.Speculations.DiscardRate:P0} of speculations ({on.Speculations.Discarded + on.Speculations.Cancelled} of {on.Speculations.Total}); turns answered from a speculation: {(double)on.Speculations.Used / Math.Max(1, on.Latencies.Count):P0}
            target p50 ≤ {TargetP50Ms} ms with speculation: {(pass ? "✔ met" : "✘ missed")}
            """);
        return pass ? 0 : 1;

        async Task<RunResult> RunServerAsync(bool speculative)
        {
            var dataDir = Directory.CreateTempSubdirectory("estate-bench-v2v-").FullName;
            try
            {
                await using var server = await ServerNode.StartAsync(new Dictionary<string, string>
                {
                    ["SEED_DEMO_DATA"] = "true",
                    ["DATA_DIR"] = dataDir,
                    ["DATABASE_URL"] = $"sqlite:///{dataDir}/bench.db",
                    ["DEEPGRAM_API_KEY"] = "bench",
                    ["DEEPGRAM_API_URL"] = fakeUrl,
                    ["AZURE_OPENAI_ENDPOINT"] = fakeUrl,
                    ["AZURE_OPENAI_API_KEY"] = "bench",
                    ["AZURE_OPENAI_DEPLOYMENT"] = "gpt-4.1",
                    ["STT_PROVIDER"] = "deepgram",
                    ["TTS_PROVIDER"] = "deepgram",
                    ["LLM_PROVIDER"] = "azure-openai",
                    ["Voice__SilenceMs"] = Anchor.EndpointingMs.ToString(),
                    ["Voice__PacingLeadMs"] = FixedLatency.PacingLeadMs.ToString(),
                    ["Voice__SpeculativeReplies"] = speculative ? "true" : "false",
                    ["Logging__LogLevel__Default"] = "Warning",
                });
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
                if (warmup > 0) await CallsAsync(server, http, warmup);
                var before = await SpeculationCounts.ReadAsync(server, http);
                var (latencies, failures) = await CallsAsync(server, http, calls);
                var counts = (await SpeculationCounts.ReadAsync(server, http)).Minus(before);
                if (server.Errors.Length > 0)
                    Console.WriteLine($"server warnings/errors (speculation {(speculative ? "on" : "off")}, first 20 lines):\n{string.Join('\n', server.Errors.Split('\n').Take(20))}");
                return new RunResult(latencies, failures, counts);
            }
            finally
            {
                try { Directory.Delete(dataDir, true); } catch (IOException) { }
            }
        }

        async Task<(List<double> Latencies, int Failures)> CallsAsync(ServerNode server, HttpClient http, int count)
        {
            var latencies = new ConcurrentBag<double>();
            var failures = 0;
            await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
            {
                await Task.Delay(i * 1000 / Math.Max(1, count / 5)); // ~5 new calls a second
                try
                {
                    using var ct = new CancellationTokenSource(TimeSpan.FromMinutes(2));
                    await using var call = await SimulatedCall.DialAsync(http, new SimulatorOptions(server.BaseUrl), ct.Token);
                    await call.WaitForAgentAsync("greeting", TimeSpan.FromMilliseconds(700), TimeSpan.FromSeconds(30), ct.Token);
                    for (var turn = 0; turn < audio.Length; turn++)
                    {
                        await call.SayAsync(audio[turn], ct.Token);
                        var timing = await call.WaitForAgentAsync($"turn {turn}", TimeSpan.FromMilliseconds(700), TimeSpan.FromSeconds(30), ct.Token);
                        if (timing.ResponseLatency == TimeSpan.MaxValue) Interlocked.Increment(ref failures);
                        else latencies.Add(timing.ResponseLatency.TotalMilliseconds);
                    }
                    await call.HangUpAsync(ct.Token);
                }
                catch (Exception e)
                {
                    if (Interlocked.Increment(ref failures) <= 3) Console.Error.WriteLine($"call {i} failed: {e.GetType().Name}: {e.Message}");
                }
            }));
            return ([.. latencies], failures);
        }
    }

    private sealed record RunResult(List<double> Latencies, int Failures, SpeculationCounts Speculations)
    {
        public double P50 => Percentiles.Of(Latencies, 50);
    }

    /// <summary>The server's <c>voice_speculations_total{result=...}</c> counters (SpeculativeReply).</summary>
    private sealed record SpeculationCounts(double Used, double Discarded, double Cancelled)
    {
        public double Total => Used + Discarded + Cancelled;
        public double DiscardRate => Total == 0 ? 0 : (Discarded + Cancelled) / Total;

        public SpeculationCounts Minus(SpeculationCounts other) => new(Used - other.Used, Discarded - other.Discarded, Cancelled - other.Cancelled);

        public static async Task<SpeculationCounts> ReadAsync(ServerNode server, HttpClient http)
        {
            var text = await http.GetStringAsync(new Uri(server.BaseUrl, "/metrics"));
            double Sum(string result) => text.Split('\n')
                .Where(l => l.StartsWith("voice_speculations_total{", StringComparison.Ordinal) && l.Contains($"result=\"{result}\"", StringComparison.Ordinal))
                .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            return new(Sum("used"), Sum("discarded"), Sum("cancelled"));
        }
    }
}
