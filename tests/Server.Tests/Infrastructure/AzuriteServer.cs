using System.Diagnostics;
using System.Net.Sockets;

namespace EstateVoice.Server.Tests.Infrastructure;

/// <summary>
/// Azurite's blob service (npm package pinned in tests/azurite) on a free port with a temp folder, one per test
/// class. Installs the package with `npm ci` when the run has not (make test does it first), so nothing is skipped.
/// Can be stopped and started again on the same port and folder to simulate a storage outage.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private readonly string location = Directory.CreateTempSubdirectory("estate-azurite-").FullName;
    private Process? process;

    public int Port { get; } = PostgresServer.FreePort();

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    public static async Task<AzuriteServer> StartNewAsync()
    {
        var server = new AzuriteServer();
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        var executable = await EnsureInstalledAsync();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(), "--location", location,
                     "--skipApiVersionCheck", "--disableTelemetry", "--silent", "--loose" })
            start.ArgumentList.Add(arg);
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"azurite-blob exited with {process.ExitCode}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public async Task StopAsync()
    {
        if (process is null) return;
        if (!process.HasExited)
        {
            // SIGINT lets Azurite save its metadata, as a real storage outage would not lose committed blobs.
            using (var interrupt = Process.Start("kill", $"-INT {process.Id}")) await interrupt.WaitForExitAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await process.WaitForExitAsync(grace.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); await process.WaitForExitAsync(); }
        }
        process.Dispose();
        process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(location, recursive: true); } catch (IOException) { }
    }

    private static async Task<string> EnsureInstalledAsync()
    {
        var folder = Path.Combine(RepositoryRoot(), "tests", "azurite");
        var executable = Path.Combine(folder, "node_modules", ".bin", "azurite-blob");
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(executable)) return executable;
            using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund")
            {
                WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            var errors = npm.StandardError.ReadToEndAsync();
            await npm.StandardOutput.ReadToEndAsync();
            await npm.WaitForExitAsync();
            if (npm.ExitCode != 0 || !File.Exists(executable))
                throw new InvalidOperationException($"npm ci in {folder} failed ({npm.ExitCode}): {await errors}");
            return executable;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EstateVoice.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Repository root (EstateVoice.slnx) not found above " + AppContext.BaseDirectory);
    }
}
