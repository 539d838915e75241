using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EstateVoice.Server.Tests.Infrastructure;

/// <summary>
/// The real server (the build's <c>EstateVoice.Server.dll</c>) as an OS process of its own on a free loopback port:
/// what a deployment runs, so tests can send it real signals (SIGTERM drain, SIGKILL crash) and run several nodes
/// side by side. Unless the caller's environment says otherwise it gets a data directory and a SQLite database of its
/// own and the test JWT secret. Dispose kills it (SIGKILL) and removes what it created. The benchmarks start their
/// servers with it too (bench/*.csproj link this file), so its CPU time and metrics are read here.
/// </summary>
public sealed class ServerNode : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> output = [];
    private readonly string? ownDataDirectory;

    public Uri BaseUrl { get; }
    public int Pid => process.Id;

    /// <summary>Everything the process wrote so far (stdout and stderr lines, in arrival order), for assertions.</summary>
    public IReadOnlyList<string> Output { get { lock (output) return [.. output]; } }

    /// <summary>The tests' JWT secret (<c>TestApp.JwtSecret</c> is this one), here because the benchmarks compile this file without TestApp.</summary>
    public const string JwtSecret = "test-secret-key-that-is-long-enough-0123456789";

    /// <summary>A load generator may set this for itself (inline socket completions); a node never inherits it.</summary>
    public const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>What the node logged at warning or error level (each with its exception lines) and its stderr, for a report.</summary>
    public string Errors
    {
        get
        {
            var errors = new System.Text.StringBuilder();
            var failing = false; // a "fail:" or "warn:" line is followed by its indented exception lines
            foreach (var line in Output)
            {
                failing = line.Contains("fail:", StringComparison.Ordinal) || line.Contains("warn:", StringComparison.Ordinal) ||
                          line.Contains("crit:", StringComparison.Ordinal) || (failing && line.StartsWith(' '));
                if (failing) errors.AppendLine(line);
            }
            return errors.ToString();
        }
    }

    private ServerNode(Process process, Uri baseUrl, string? ownDataDirectory)
    {
        this.process = process;
        BaseUrl = baseUrl;
        this.ownDataDirectory = ownDataDirectory;
    }

    /// <summary>
    /// Starts a node and waits until it answers <c>/health/live</c>. <paramref name="environment"/> is applied last,
    /// over the defaults (PORT, HOST, DATA_DIR, DATABASE_URL, JWT_SECRET_KEY, SEED_DEMO_DATA=false, logging at
    /// Information so tests can wait for log lines).
    /// </summary>
    public static async Task<ServerNode> StartAsync(IDictionary<string, string> environment, CancellationToken cancellationToken = default)
    {
        // A free port may be taken by another test between the probe and the server's bind: try again on another.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(PostgresServer.FreePort(), environment, cancellationToken);
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase)) { }
        }
    }

    private static async Task<ServerNode> StartOnceAsync(int port, IDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var dll = ServerDll();
        var dataDirectory = environment.ContainsKey("DATA_DIR") ? null : Directory.CreateTempSubdirectory("estate-node-").FullName;
        var info = new ProcessStartInfo("dotnet", [dll, "--contentRoot", Path.GetDirectoryName(ServerProject())!])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            // Not the repository: EnvFile would load a developer's .env from the working directory.
            WorkingDirectory = dataDirectory ?? Path.GetTempPath(),
        };
        // The test runner's own settings (e.g. an ASPNETCORE_ENVIRONMENT or DATABASE_URL of the shell) must not leak in.
        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "DATABASE_URL", "REDIS_URL", InlineCompletions })
            info.Environment.Remove(name);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["HOST"] = "127.0.0.1";
        info.Environment["JWT_SECRET_KEY"] = JwtSecret;
        info.Environment["SEED_DEMO_DATA"] = "false";
        info.Environment["Logging__LogLevel__Default"] = "Information";
        info.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning";
        if (dataDirectory is not null)
        {
            info.Environment["DATA_DIR"] = dataDirectory;
            info.Environment["DATABASE_URL"] = $"sqlite:///{Path.Combine(dataDirectory, "node.db")}";
        }
        foreach (var (key, value) in environment) info.Environment[key] = value;

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var node = new ServerNode(process, new Uri($"http://127.0.0.1:{port}"), dataDirectory);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await node.WaitUntilLiveAsync(TimeSpan.FromSeconds(90), cancellationToken);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.Add(line);
    }

    private async Task WaitUntilLiveAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
                throw new InvalidOperationException($"The server exited with code {process.ExitCode} while starting:\n{OutputText()}");
            try
            {
                if ((await http.GetAsync(new Uri(BaseUrl, "/health/live"), cancellationToken)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested) { }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"The server did not answer /health/live within {timeout}:\n{OutputText()}");
    }

    /// <summary>SIGKILL: the process dies at once, as in a crash or an OOM kill; nothing of it runs any more.</summary>
    public void Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
    }

    /// <summary>SIGTERM, what an orchestrator sends to stop a node (a rolling upgrade, a scale-in). Returns at once.</summary>
    public Task TerminateAsync()
    {
        if (!process.HasExited && SendSignal(process.Id, SigTerm) != 0)
            throw new InvalidOperationException($"kill(SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        return Task.CompletedTask;
    }

    /// <summary>Waits for the process to exit and returns its exit code; throws (with the output) after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The server did not exit within {timeout}:\n{OutputText()}");
        }
        return process.ExitCode;
    }

    public bool HasExited => process.HasExited;

    /// <summary>The exit code once the process has exited (null while it runs).</summary>
    public int? ExitCode => process.HasExited ? process.ExitCode : null;

    /// <summary>User + system CPU time the node has used so far (from /proc).</summary>
    public TimeSpan CpuTime()
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    /// <summary>Managed heap after the last GC, from the node's own /metrics (System.Runtime meter).</summary>
    public Task<double> ManagedHeapBytesAsync(HttpClient http) => MetricAsync(http, "dotnet_gc_last_collection_heap_size_bytes");

    /// <summary>The sum of every series of one Prometheus metric on the node's /metrics (e.g. all GC generations).</summary>
    public async Task<double> MetricAsync(HttpClient http, string name)
    {
        var text = await http.GetStringAsync(new Uri(BaseUrl, "/metrics"));
        return text.Split('\n')
            .Where(l => l.StartsWith(name, StringComparison.Ordinal) && l.Length > name.Length && l[name.Length] is '{' or ' ')
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Waits until some output line contains <paramref name="text"/> (e.g. a log message); returns that line.</summary>
    public async Task<string> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (Output.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line) return line;
            if (deadline.Elapsed > timeout)
                throw new TimeoutException($"No output line contained \"{text}\" within {timeout}:\n{OutputText()}");
            await Task.Delay(50);
        }
    }

    /// <summary>The whole output as one text, for failure messages.</summary>
    public string OutputText() => string.Join('\n', Output);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException) { } // exited between the check and the kill
        process.Dispose();
        if (ownDataDirectory is not null)
        {
            try { Directory.Delete(ownDataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>The server's own build output beside the tests' (same configuration and framework), with its deps and runtimeconfig.</summary>
    private static string ServerDll()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var dll = Path.Combine(Path.GetDirectoryName(ServerProject())!, "bin", configuration, framework, "EstateVoice.Server.dll");
        return File.Exists(dll) ? dll
            : throw new FileNotFoundException($"Build the server first: dotnet build src/Server -c {configuration}", dll);
    }

    private static string ServerProject()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Server", "Server.csproj");
            if (File.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("src/Server/Server.csproj not found above " + AppContext.BaseDirectory);
    }
}
