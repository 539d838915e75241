using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EstateVoice.Bench.Webhooks;

/// <summary>The real server, release build, in its own process: the load generator never shares its CPU time or GC.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder errors = new();
    public Uri BaseUrl { get; }

    private ServerProcess(Process process, Uri baseUrl) { this.process = process; BaseUrl = baseUrl; }

    public static async Task<ServerProcess> StartAsync(string repoRoot, IDictionary<string, string> environment)
    {
        var dll = Path.Combine(repoRoot, "src/Server/bin/Release/net10.0/EstateVoice.Server.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("Build the server first: dotnet build src/Server -c Release", dll);
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", [dll, "--contentRoot", Path.Combine(repoRoot, "src/Server")])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath(),
        };
        info.Environment["PORT"] = port.ToString();
        info.Environment["HOST"] = "127.0.0.1";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var process = Process.Start(info)!;
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => { if (e.Data?.Contains("fail:") == true) lock (server.errors) server.errors.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (server.errors) server.errors.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 240; attempt++)
        {
            if (process.HasExited) throw new InvalidOperationException($"server exited: {server.errors}");
            try
            {
                if ((await http.GetAsync(new Uri(server.BaseUrl, "/health"))).IsSuccessStatusCode)
                {
                    // Startup noise (EF probing a fresh database's migration table) is not a benchmark error.
                    lock (server.errors) server.errors.Clear();
                    return server;
                }
            }
            catch (HttpRequestException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"server did not become healthy: {server.errors}");
    }

    public string Errors { get { lock (errors) return errors.ToString(); } }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
