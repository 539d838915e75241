using System.Diagnostics;

namespace EstateVoice.Server.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL cluster: initdb into a temp dir and pg_ctl on a free port (no Docker here). The test run shares
/// one (<see cref="PostgresServer"/>); fault tests start their own so restarting it disturbs no other test.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string bin;
    private readonly string root;
    private readonly int port;
    private readonly bool asRoot = Environment.UserName == "root";

    private PostgresCluster(string bin, string root, int port) => (this.bin, this.root, this.port) = (bin, root, port);

    private string DataDir => Path.Combine(root, "data");

    public string AdminConnectionString => $"Host=127.0.0.1;Port={port};Username=estate;Database=postgres;Pooling=true;Maximum Pool Size=50";

    public static async Task<PostgresCluster> StartAsync()
    {
        var cluster = new PostgresCluster(FindBinDirectory(), Directory.CreateTempSubdirectory("estate-pg-").FullName, PostgresServer.FreePort());
        if (cluster.asRoot) await RunAsync("chown", $"-R postgres {cluster.root}");
        await cluster.RunPgAsync("initdb", $"-D {cluster.DataDir} -A trust -U estate --no-sync -E UTF8");
        await cluster.RunPgAsync("pg_ctl", $"-D {cluster.DataDir} -w -l {cluster.root}/log -o \"{cluster.ServerOptions}\" start");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.StopNow();
        cluster.StartWatchdog();
        return cluster;
    }

    public Task<string> CreateDatabaseAsync() => PostgresDatabases.CreateAsync(AdminConnectionString);

    /// <summary>
    /// `pg_ctl restart` (fast mode: sessions are terminated with 57P01, as an operator's restart does); with a
    /// <paramref name="downtime"/>, stop, stay down that long, then start (a restart slower than any client retry).
    /// </summary>
    public async Task RestartAsync(TimeSpan downtime = default)
    {
        if (downtime <= TimeSpan.Zero)
        {
            await RunPgAsync("pg_ctl", $"-D {DataDir} -w -m fast -l {root}/log -o \"{ServerOptions}\" restart");
            return;
        }
        await StopAsync();
        await Task.Delay(downtime);
        await StartAgainAsync();
    }

    /// <summary>
    /// Takes the server down until <see cref="StartAgainAsync"/>: an outage that lasts exactly as long as a test
    /// needs to look at it, however slow the machine (a timed outage can end between two of the test's reads).
    /// </summary>
    public Task StopAsync() => RunPgAsync("pg_ctl", $"-D {DataDir} -w -m fast stop");

    public Task StartAgainAsync() =>
        RunPgAsync("pg_ctl", $"-D {DataDir} -w -l {root}/log -o \"{ServerOptions}\" start");

    public ValueTask DisposeAsync()
    {
        StopNow();
        return ValueTask.CompletedTask;
    }

    private string ServerOptions =>
        $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=600";

    private void StopNow()
    {
        var (file, args) = Command(Path.Combine(bin, "pg_ctl"), $"-D {DataDir} -m immediate stop");
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true });
        process?.WaitForExit(10_000);
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>
    /// The test host is often killed rather than exited, so ProcessExit never runs: a detached shell watches this
    /// process and stops the cluster (and removes its folder) once it is gone, however it ended.
    /// </summary>
    private void StartWatchdog()
    {
        var (stopFile, stopArgs) = Command(Path.Combine(bin, "pg_ctl"), $"-D {DataDir} -m immediate stop");
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null && [ -d {root} ]; do sleep 2; done; {stopFile} {stopArgs} >/dev/null 2>&1; rm -rf {root}";
        using var watchdog = Process.Start(new ProcessStartInfo("setsid", ["bash", "-c", script])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp",
        });
    }

    private static string FindBinDirectory()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).OrderDescending()
            : Enumerable.Empty<string>();
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
               ?? throw new InvalidOperationException("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin: run `make test` (it installs the postgresql package).");
    }

    private (string File, string Args) Command(string file, string args) =>
        asRoot ? ("runuser", $"-u postgres -- {file} {args}") : (file, args);

    private Task RunPgAsync(string program, string args)
    {
        var (f, a) = Command(Path.Combine(bin, program), args);
        return RunAsync(f, a);
    }

    private static async Task RunAsync(string file, string args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp",
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {args} failed ({process.ExitCode}): {await stdout} {await stderr}");
    }
}
