using System.Collections.Concurrent;
using System.Diagnostics;
using EstateVoice.Bench.VoiceLoop;
using EstateVoice.CallSimulator;
using EstateVoice.Server.Tests.Infrastructure;

// N concurrent simulated calls against the real server with fixed-latency fake providers; see README "Benchmarks".
// The load generator runs its socket completions inline (no hop through its thread pool per message): it shares the
// 2 cores with the server it measures and must stay light. The server is started without this setting.
Environment.SetEnvironmentVariable(ServerNode.InlineCompletions, "1");
var repoRoot = FindRepoRoot();
var steps = (Arg("--calls") ?? "50,100,200,300,500").Split(',').Select(int.Parse).ToArray();
// --instant: providers answer at once (issue 11's outside measurement); --ramp-seconds 0: every call dials at once,
// so their turns (and tool calls) arrive together instead of spread over the default 10 s ramp.
var latency = args.Contains("--instant") ? new FixedLatency(0, 0, 0) : new FixedLatency();
var rampSeconds = double.Parse(Arg("--ramp-seconds") ?? "10", System.Globalization.CultureInfo.InvariantCulture);
// --tools: the model calls search_properties on turn 1 and book_showing on turn 2 (ScriptedToolModel), so those turns
// cost two model rounds and real database work. --db postgres: the server runs on a PostgreSQL this run starts.
var tools = args.Contains("--tools");
var database = Arg("--db") ?? "sqlite";
// --nodes 2: that many server processes on one PostgreSQL and one Redis (REDIS_URL), calls dealt round-robin; each
// step also reports Redis commands and PostgreSQL transactions per call (SharedStateCounters).
var nodeCount = int.Parse(Arg("--nodes") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
// --turns K: each call says the script's lines K times in all (default 3: each once). Longer calls put fewer call
// starts and ends (webhook, database rows, provider connections) into each call-second, as real calls of minutes do.
var turns = int.Parse(Arg("--turns") ?? "3", System.Globalization.CultureInfo.InvariantCulture);
if (nodeCount > 1) database = "postgres";
var fixtures = Path.Combine(repoRoot, "tests", "fixtures", "audio");
string[] lines = ["buyer-intent.wav", "pre-approved.wav", "caller-name.wav"];
var script = File.ReadAllLines(Path.Combine(fixtures, "transcripts.tsv")).Select(l => l.Split('\t')).Where(p => p.Length == 2)
    .ToDictionary(p => p[0], p => p[1]);
var audio = lines.Select(l => CallerAudio.ReadMulawWav(Path.Combine(fixtures, l))).ToArray();
var bargeIn = CallerAudio.ReadMulawWav(Path.Combine(fixtures, "ask-human.wav"));
// Voice-to-voice latency with and without speculative replies: its own fakes and servers (VoiceToVoice.cs).
if (Arg("--mode") == "v2v")
    return await VoiceToVoice.RunAsync([.. lines.Select(l => script.GetValueOrDefault(l, "hello"))], audio, Arg);

var fakes = WebApplication.CreateBuilder();
fakes.Logging.ClearProviders();
fakes.WebHost.UseUrls("http://127.0.0.1:0");
// The fakes never block, so they may answer on the I/O thread rather than queue behind the generator's other work.
fakes.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
var fakeApp = fakes.Build();
fakeApp.UseWebSockets();
FakeDeepgram.Map(fakeApp, latency, [.. lines.Select(l => script.GetValueOrDefault(l, "hello")), script.GetValueOrDefault("ask-human.wav", "can I talk to a person")]);
FakeAzureOpenAI.Map(fakeApp, latency, tools);
// --otlp: the server exports traces and metrics to a collector that discards them (issue 12: what tracing costs).
var otlp = args.Contains("--otlp") ? new FakeOtlpCollector() : null;
otlp?.Map(fakeApp);
await fakeApp.StartAsync();
var fakeUrl = fakeApp.Urls.First();

var dataDir = Directory.CreateTempSubdirectory("estate-bench-voice-").FullName;
var serverEnvironment = new Dictionary<string, string>
{
    ["SEED_DEMO_DATA"] = "true", ["DATA_DIR"] = dataDir,
    ["DATABASE_URL"] = database == "postgres" ? await ProductionPoolAsync() : $"sqlite:///{dataDir}/bench.db",
    ["DEEPGRAM_API_KEY"] = "bench", ["DEEPGRAM_API_URL"] = fakeUrl,
    ["AZURE_OPENAI_ENDPOINT"] = fakeUrl, ["AZURE_OPENAI_API_KEY"] = "bench", ["AZURE_OPENAI_DEPLOYMENT"] = "gpt-4.1",
    ["STT_PROVIDER"] = "deepgram", ["TTS_PROVIDER"] = "deepgram", ["LLM_PROVIDER"] = "azure-openai",
    ["Voice__SilenceMs"] = latency.EndpointingMs.ToString(),
    ["Voice__PacingLeadMs"] = FixedLatency.PacingLeadMs.ToString(),
    ["Logging__LogLevel__Default"] = "Warning",
};
ServerInlineCompletions(serverEnvironment);
if (otlp is not null) FakeOtlpCollector.Configure(serverEnvironment, fakeUrl);
var redis = nodeCount > 1 ? await RedisServer.CreateAsync() : null;
if (redis is not null) foreach (var (key, value) in redis.Environment) serverEnvironment[key] = value;
await using var server = await ServerNode.StartAsync(serverEnvironment);
var nodes = new List<ServerNode> { server };
// Stopped like the first node however the run ends (two-node runs used to leave every other node running).
await using var otherNodes = new StopAll(nodes.Skip(1));
for (var n = 1; n < nodeCount; n++) nodes.Add(await ServerNode.StartAsync(serverEnvironment));
var counters = redis is null ? null : new SharedStateCounters(redis, serverEnvironment["DATABASE_URL"]);
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
Console.WriteLine($"Voice loop benchmark — fixed provider latency: STT final {latency.SttFinalMs} ms after {latency.EndpointingMs} ms endpointing, " +
                  $"LLM first token {latency.LlmFirstTokenMs} ms, TTS first byte {latency.TtsFirstByteMs} ms; {Environment.ProcessorCount} cores");
Console.WriteLine("overhead = caller end of speech → first agent audio frame − provider latencies − silence threshold");
if (tools)
    Console.WriteLine($"tools: turn 1 search_properties, turn 2 book_showing against {database} (two model rounds each: their overhead leaves out two LLM latencies)");

Console.WriteLine("barge-in = caller speech onset → clear (the agent pauses at once and resumes if it was only a backchannel)");
Console.WriteLine($"pacing jitter = |interval between agent media messages − audio length of the earlier one| (40 ms messages: two frames each), leaving out each burst's first {FixedLatency.PacingLeadMs} ms sent ahead on purpose");

// Warm-up, not reported: a fresh server runs its first calls on unoptimised (tier-0) code and fills its pools.
var warmup = int.Parse(Arg("--warmup-calls") ?? "30");
if (warmup > 0)
{
    Console.WriteLine($"warm-up: {warmup} calls (not reported)");
    await RunStepAsync(warmup);
}

var largestPassing = 0;
var missed = new List<int>();
foreach (var calls in steps)
{
    var result = await RunStepAsync(calls);
    var pass = result.OverheadP95 <= 10 && result.BargeInP95 <= 100 && result.JitterP99 <= 20 && result.MemoryPerCallMb <= 2 && result.Failures == 0;
    if (pass) largestPassing = calls;
    else missed.Add(calls);
    Console.WriteLine(result.Report + (pass ? "  ✔ meets targets" : "  ✘ misses a target"));
}
Console.WriteLine($"\nLargest N meeting every target (overhead p95 ≤ 10 ms, barge-in p95 ≤ 100 ms, jitter p99 ≤ 20 ms, ≤ 2 MB/call, 0 failed calls): {largestPassing}");
if (missed.Count > 0) Console.WriteLine($"✘ targets missed at N = {string.Join(", ", missed)}");
// All of each node's warnings in a file (a 500 can hide behind forty lines of timeouts), the first forty here.
foreach (var (node, n) in nodes.Select((node, n) => (node, n)))
{
    if (node.Errors.Length == 0) continue;
    var errorLog = Path.Combine(Path.GetTempPath(), $"bench-voice-server-errors-{Environment.ProcessId}-{n + 1}.log");
    await File.WriteAllTextAsync(errorLog, node.Errors);
    Console.WriteLine($"\nServer{(nodes.Count > 1 ? $" node {n + 1}" : "")} warnings/errors (all in {errorLog}; first 40 lines):\n{string.Join('\n', node.Errors.Split('\n').Take(40))}");
}
await fakeApp.StopAsync();
if (args.Contains("--keep-data")) Console.WriteLine($"\nServer database kept: {dataDir}/bench.db");
else try { Directory.Delete(dataDir, true); } catch (IOException) { }
// A missed target at any step fails the run (make, CI), as the README says.
return missed.Count == 0 ? 0 : 1;

async Task<StepResult> RunStepAsync(int calls)
{
    var overhead = new ConcurrentBag<double>();
    var toolTurns = new ConcurrentBag<double>();
    var searchTurns = new ConcurrentBag<double>();
    var bookingTurns = new ConcurrentBag<double>();
    var greeting = new ConcurrentBag<double>();
    var clears = new ConcurrentBag<double>();
    var jitter = new ConcurrentBag<double>();
    var failures = 0;
    var peakHeap = 0.0;
    ProviderLateness.Clear();
    var heapBefore = await server.ManagedHeapBytesAsync(http);
    var cpuBefore = nodes.Select(n => n.CpuTime()).ToArray();
    var gcPauseBefore = await server.MetricAsync(http, "dotnet_gc_pause_time_seconds_total");
    var gcCountBefore = await server.MetricAsync(http, "dotnet_gc_collections_total");
    var allocatedBefore = await server.MetricAsync(http, "dotnet_gc_heap_total_allocated_bytes_total");
    var generatorGcBefore = (Count: GC.CollectionCount(0), Pause: GC.GetTotalPauseDuration());
    var switchesBefore = (Server: nodes.Sum(n => ThreadSwitches.Of(n.Pid)), Generator: ThreadSwitches.Of(Environment.ProcessId));
    var otlpBefore = otlp?.Received;
    var generatorCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var sharedBefore = counters is null ? null : await counters.ReadAsync();
    var wall = Stopwatch.StartNew();
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            try { peakHeap = Math.Max(peakHeap, await server.ManagedHeapBytesAsync(http)); await Task.Delay(500, sampling.Token); }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException) { }
        }
    });
    var tasks = Enumerable.Range(0, calls).Select(async i =>
    {
        await Task.Delay(TimeSpan.FromSeconds(rampSeconds * i / calls)); // ramp: by default ~N/10 new calls a second, like a busy office
        try
        {
            using var ct = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            // With tools each call is its own caller (its own lead to upsert and book for), as real calls are.
            var options = new SimulatorOptions(nodes[i % nodes.Count].BaseUrl);
            if (tools) options = options with { From = $"+1512{Random.Shared.Next(2_000_000, 9_999_999)}" };
            await using var call = await SimulatedCall.DialAsync(http, options, ct.Token);
            call.AgentMediaArrivals = new List<(long At, int Bytes)>(8192);
            var hello = await call.WaitForAgentAsync("greeting", TimeSpan.FromMilliseconds(700), TimeSpan.FromSeconds(30), ct.Token);
            greeting.Add(hello.ResponseLatency.TotalMilliseconds);
            for (var turn = 0; turn < turns; turn++)
            {
                await call.SayAsync(audio[turn % audio.Length], ct.Token);
                var timing = await call.WaitForAgentAsync(lines[turn % lines.Length], TimeSpan.FromMilliseconds(700), TimeSpan.FromSeconds(30), ct.Token);
                if (timing.ResponseLatency == TimeSpan.MaxValue) { Failed(i, $"no agent reply to turn {turn + 1} within 30 s"); continue; }
                var toolTurn = tools && turn < 2;
                overhead.Add(timing.ResponseLatency.TotalMilliseconds - latency.ProviderTotalMs - latency.EndpointingMs - (toolTurn ? latency.LlmFirstTokenMs : 0));
                // Issue 11's outside figure: first agent audio after the STT final (both model rounds and the tool in it).
                if (toolTurn)
                {
                    var sinceFinal = timing.ResponseLatency.TotalMilliseconds - latency.EndpointingMs - latency.SttFinalMs;
                    toolTurns.Add(sinceFinal);
                    // Apart, so a wait in one tool (a listings query; the lead upsert and booking) shows as that tool's.
                    (turn == 0 ? searchTurns : bookingTurns).Add(sinceFinal);
                }
            }
            // Barge-in: say something while the agent's next reply is playing.
            var speaking = call.SayAsync(audio[0], ct.Token);
            await speaking;
            var start = Stopwatch.GetTimestamp();
            while (!call.AgentIsSpeaking && Stopwatch.GetElapsedTime(start) < TimeSpan.FromSeconds(10)) await Task.Delay(10, ct.Token);
            await Task.Delay(300, ct.Token);
            await call.SayAsync(bargeIn, ct.Token);
            await call.WaitForAgentAsync("barge-in", TimeSpan.FromMilliseconds(700), TimeSpan.FromSeconds(30), ct.Token);
            foreach (var clear in call.ClearLatencies) clears.Add(clear.TotalMilliseconds);
            if (call.ClearsReceived == 0) Failed(i, "the barge-in got no clear (the agent talked over the caller)");
            await call.HangUpAsync(ct.Token);
            foreach (var deviation in PacingDeviations(call.AgentMediaArrivals)) jitter.Add(deviation);
        }
        catch (Exception e)
        {
            Failed(i, $"{e.GetType().Name}: {e.Message}");
        }
    }).ToArray();

    // Every failed call says why (the first few, on stderr): a failure count alone cannot be diagnosed after the run.
    void Failed(int call, string why)
    {
        if (Interlocked.Increment(ref failures) <= 5) Console.Error.WriteLine($"call {call} failed: {why}");
    }
    await Task.WhenAll(tasks);
    await sampling.CancelAsync();
    // A node that died mid-step: say how and what it said last (the metrics below would only fail to connect).
    foreach (var (node, n) in nodes.Select((node, n) => (node, n)).Where(x => x.node.HasExited))
        throw new InvalidOperationException($"server node {n + 1} (pid {node.Pid}) exited with code {node.ExitCode} during the {calls}-call step; its last output:\n" +
                                            string.Join('\n', node.Output.TakeLast(60)));
    await sampler;
    // Every node's CPU: with --nodes they share this machine's cores, and the figure is what the calls cost in all.
    var nodeCpu = nodes.Select((n, i) => (n.CpuTime() - cpuBefore[i]).TotalSeconds / wall.Elapsed.TotalSeconds / Environment.ProcessorCount * 100).ToArray();
    var cpu = nodeCpu.Sum();
    var generatorCpu = (Process.GetCurrentProcess().TotalProcessorTime - generatorCpuBefore).TotalSeconds / wall.Elapsed.TotalSeconds / Environment.ProcessorCount * 100;
    // Per call per second of the step: what a call costs, whatever its length.
    var callSeconds = calls * wall.Elapsed.TotalSeconds;
    var switches = $"server CPU {nodes.Select((n, i) => (n.CpuTime() - cpuBefore[i]).TotalMilliseconds).Sum() / callSeconds:0.00} ms per call-second; context switches per call-second: server {(nodes.Sum(n => ThreadSwitches.Of(n.Pid)) - switchesBefore.Server) / callSeconds:0.0}, load generator {(ThreadSwitches.Of(Environment.ProcessId) - switchesBefore.Generator) / callSeconds:0.0}";
    // Sampled on node 1, which carries its round-robin share of the calls.
    var perCallMb = Math.Max(0, peakHeap - heapBefore) / Math.Ceiling((double)calls / nodes.Count) / 1024 / 1024;
    var gc = new GcActivity(
        (int)(await server.MetricAsync(http, "dotnet_gc_collections_total") - gcCountBefore),
        (await server.MetricAsync(http, "dotnet_gc_pause_time_seconds_total") - gcPauseBefore) * 1000,
        (await server.MetricAsync(http, "dotnet_gc_heap_total_allocated_bytes_total") - allocatedBefore) / 1024 / 1024, wall.Elapsed);
    // The generator's own pauses delay the simulated callers and the fakes: time the overhead figure cannot tell apart.
    var generatorGc = (Count: GC.CollectionCount(0) - generatorGcBefore.Count, PauseMs: (GC.GetTotalPauseDuration() - generatorGcBefore.Pause).TotalMilliseconds);
    var shared = counters is null ? "" : "\n  " + SharedStateCounters.PerCall(sharedBefore!, await counters.ReadAsync(), calls, nodes.Count);
    if (otlp is not null && otlpBefore is { } before)
    {
        // Exports still batched in the server when the step ends fall into the next step: a figure per step, not per call exactly.
        var (exports, bytes) = otlp.Received;
        shared += $"\n  OTLP export: {exports - before.Exports} requests, {(bytes - before.Bytes) / 1024.0 / calls:0.0} kB per call";
    }
    return new StepResult(calls, [.. overhead], [.. greeting], [.. clears], [.. jitter], cpu, perCallMb, gc, failures)
    {
        NodeCpu = nodes.Count > 1 ? $" ({string.Join(", ", nodeCpu.Select((c, i) => $"node {i + 1} {c:0}%"))})" : "",
        Shared = shared,
        ToolTurns = [.. toolTurns],
        SearchTurns = [.. searchTurns],
        BookingTurns = [.. bookingTurns],
        GeneratorGc = $"load generator CPU {generatorCpu:0}%, GC {generatorGc.Count} collections, {generatorGc.PauseMs:0} ms paused\n  {switches}",
    };
}

static IEnumerable<double> PacingDeviations(List<(long At, int Bytes)> arrivals)
{
    // What the caller hears: each message should arrive as the audio of the one before it has played (its length,
    // 40 ms for two frames, 20 for a sentence's odd last frame). Messages within one stretch of speech; gaps over
    // 100 ms are pauses between replies (or a barge-in pause), not jitter. A stretch's first messages, the pacing
    // lead, are sent back to back on purpose and are left out: those due before the lead's worth of audio was sent.
    var stretchMs = 0.0;
    for (var i = 1; i < arrivals.Count; i++)
    {
        var ms = Stopwatch.GetElapsedTime(arrivals[i - 1].At, arrivals[i].At).TotalMilliseconds;
        var expectedMs = arrivals[i - 1].Bytes / 8.0;
        stretchMs = ms < 100 ? stretchMs + expectedMs : 0;
        if (stretchMs > FixedLatency.PacingLeadMs) yield return Math.Abs(ms - expectedMs);
    }
}

// A/B of the socket threading: BENCH_SERVER_INLINE_COMPLETIONS=1 runs the server with every socket inline (the
// process-wide switch of session 3), =0 with none; unset, the server's own per-socket choice.
static void ServerInlineCompletions(IDictionary<string, string> environment)
{
    if (Environment.GetEnvironmentVariable("BENCH_SERVER_INLINE_COMPLETIONS") is { Length: > 0 } inline)
        environment[ServerNode.InlineCompletions] = inline;
}

// The tests' databases cap their pools at 50 (many test apps share one PostgreSQL); a server measured here gets
// Npgsql's default of 100, as a deployment does.
static async Task<string> ProductionPoolAsync() =>
    new Npgsql.NpgsqlConnectionStringBuilder(await PostgresServer.CreateDatabaseAsync()) { MaxPoolSize = 100 }.ConnectionString;

string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "EstateVoice.slnx"))) return dir.FullName;
    throw new DirectoryNotFoundException("EstateVoice.slnx not found above the benchmark");
}

internal sealed record GcActivity(int Collections, double PauseMs, double AllocatedMb, TimeSpan Wall)
{
    public override string ToString() =>
        $"server GC {Collections} collections, {PauseMs:0} ms paused ({PauseMs / Wall.TotalMilliseconds * 100:0.0}% of the run), allocating {AllocatedMb / Wall.TotalSeconds:0.0} MB/s";
}

internal sealed record StepResult(int Calls, List<double> Overhead, List<double> Greeting, List<double> Clears, List<double> Jitter, double CpuPercent, double MemoryPerCallMb, GcActivity Gc, int Failures)
{
    public string GeneratorGc { get; init; } = "";
    /// <summary>Each node's share of <see cref="CpuPercent"/> when there are several.</summary>
    public string NodeCpu { get; init; } = "";
    public string Shared { get; init; } = "";
    public List<double> ToolTurns { get; init; } = [];
    public List<double> SearchTurns { get; init; } = [];
    public List<double> BookingTurns { get; init; } = [];
    public double OverheadP95 => Percentiles.Of(Overhead, 95);
    public double BargeInP95 => Percentiles.Of(Clears, 95);
    public double JitterP99 => Percentiles.Of(Jitter, 99);

    private static string Late(IEnumerable<double> values)
    {
        var list = values.ToList();
        return $"{Percentiles.Of(list, 50):0.0}/{Percentiles.Of(list, 95):0.0}";
    }

    public string Report => $"""

        N = {Calls} concurrent calls  (failures: {Failures})
          pipeline overhead ms   {Percentiles.Summary(Overhead)}
          greeting first audio   {Percentiles.Summary(Greeting)}{(ToolTurns.Count > 0 ? $"\n  tool turns: STT final → first audio ms {Percentiles.Summary(ToolTurns)}\n    search_properties turns  {Percentiles.Summary(SearchTurns)}\n    book_showing turns       {Percentiles.Summary(BookingTurns)}" : "")}
          onset → clear ms       {Percentiles.Summary(Clears)}
          pacing jitter ms       {Percentiles.Summary(Jitter)}
          fake providers late by STT {Late(ProviderLateness.Stt)} · LLM {Late(ProviderLateness.Llm)} · TTS {Late(ProviderLateness.Tts)} ms (p50/p95, load generator's own delay)
          server CPU {CpuPercent:0}% of {Environment.ProcessorCount} cores{NodeCpu}, managed heap {MemoryPerCallMb:0.00} MB per call, {Gc}
          {GeneratorGc}{Shared}
        """;
}

/// <summary>Disposes what <paramref name="items"/> holds when disposed (read then, so later additions count).</summary>
internal sealed class StopAll(IEnumerable<IAsyncDisposable> items) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        foreach (var item in items.ToList()) await item.DisposeAsync();
    }
}
