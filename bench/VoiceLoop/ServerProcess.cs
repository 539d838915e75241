using System.Diagnostics;

namespace EstateVoice.Bench.VoiceLoop;

/// <summary>The real server, release build, in its own process (so its CPU and memory are its own).</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly System.Text.StringBuilder errors;
    public Uri BaseUrl { get; }

    /// <summary>A load generator may set this for itself; the server always runs with the runtime's default.</summary>
    public const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>What the server logged at error level (and its stderr), for the report.</summary>
    public string Errors { get { lock (errors) return errors.ToString(); } }
    public int Pid => process.Id;

    private ServerProcess(Process process, Uri baseUrl, System.Text.StringBuilder errors)
    {
        this.process = process;
        BaseUrl = baseUrl;
        this.errors = errors;
    }

    public static async Task<ServerProcess> StartAsync(string repoRoot, int port, IDictionary<string, string> environment)
    {
        var dll = Path.Combine(repoRoot, "src/Server/bin/Release/net10.0/EstateVoice.Server.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("Build the server first: dotnet build src/Server -c Release", dll);
        var info = new ProcessStartInfo("dotnet", [dll, "--contentRoot", Path.Combine(repoRoot, "src/Server")])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath(),
        };
        info.Environment.Remove(InlineCompletions);
        // A/B of the socket threading: BENCH_SERVER_INLINE_COMPLETIONS=1 runs the server with every socket inline (the
        // process-wide switch of session 3), =0 with none; unset, the server's own per-socket choice.
        if (Environment.GetEnvironmentVariable("BENCH_SERVER_INLINE_COMPLETIONS") is { Length: > 0 } inline)
            info.Environment[InlineCompletions] = inline;
        info.Environment["PORT"] = port.ToString();
        info.Environment["HOST"] = "127.0.0.1";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var process = Process.Start(info)!;
        var errors = new System.Text.StringBuilder();
        var failing = false; // a "fail:" line is followed by its exception lines
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            failing = e.Data.Contains("fail:") || (failing && e.Data.StartsWith(' '));
            if (failing || e.Data.Contains("warn:")) lock (errors) errors.AppendLine(e.Data);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"), errors);
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 120; attempt++)
        {
            if (process.HasExited) throw new InvalidOperationException($"server exited: {errors}");
            try { if ((await http.GetAsync(new Uri(server.BaseUrl, "/health"))).IsSuccessStatusCode) return server; }
            catch (HttpRequestException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"server did not become healthy: {errors}");
    }

    /// <summary>User + system CPU time the server has used so far (from /proc).</summary>
    public TimeSpan CpuTime()
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    /// <summary>Managed heap after the last GC, from the server's own /metrics (System.Runtime meter).</summary>
    public Task<double> ManagedHeapBytesAsync(HttpClient http) => MetricAsync(http, "dotnet_gc_last_collection_heap_size_bytes");

    /// <summary>The sum of every series of one Prometheus metric on the server's /metrics (e.g. all GC generations).</summary>
    public async Task<double> MetricAsync(HttpClient http, string name)
    {
        var text = await http.GetStringAsync(new Uri(BaseUrl, "/metrics"));
        return text.Split('\n')
            .Where(l => l.StartsWith(name, StringComparison.Ordinal) && l.Length > name.Length && l[name.Length] is '{' or ' ')
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
