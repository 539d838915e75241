using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace EstateVoice.Server.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL for the whole test run: initdb into a temp dir and pg_ctl on a free port (no Docker here).
/// Each test gets its own database from <see cref="CreateDatabaseAsync"/>, so tests share no rows.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<Task<string>> Server = new(StartAsync);
    private static string? dataDir;

    public static async Task<string> CreateDatabaseAsync()
    {
        var adminConnection = await Server.Value;
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(adminConnection);
        await connection.OpenAsync();
        await using (var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection))
            await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(adminConnection) { Database = name }.ConnectionString;
    }

    private static async Task<string> StartAsync()
    {
        var bin = FindBinDirectory();
        var root = Directory.CreateTempSubdirectory("estate-pg-").FullName;
        var port = FreePort();
        var asRoot = Environment.UserName == "root";
        if (asRoot) await RunAsync("chown", $"-R postgres {root}");
        dataDir = Path.Combine(root, "data");
        await RunPgAsync(asRoot, Path.Combine(bin, "initdb"), $"-D {dataDir} -A trust -U estate --no-sync -E UTF8");
        await RunPgAsync(asRoot, Path.Combine(bin, "pg_ctl"),
            $"-D {dataDir} -w -l {root}/log -o \"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300\" start");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(asRoot, bin);
        StartWatchdog(asRoot, bin, root);
        return $"Host=127.0.0.1;Port={port};Username=estate;Database=postgres;Pooling=true;Maximum Pool Size=50";
    }

    private static void Stop(bool asRoot, string bin)
    {
        if (dataDir is null) return;
        var (file, args) = Command(asRoot, Path.Combine(bin, "pg_ctl"), $"-D {dataDir} -m immediate stop");
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true });
        process?.WaitForExit(10_000);
        try { Directory.Delete(Path.GetDirectoryName(dataDir)!, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>
    /// The test host is often killed rather than exited, so ProcessExit never runs: a detached shell watches this
    /// process and stops the cluster (and removes its folder) once it is gone, however it ended.
    /// </summary>
    private static void StartWatchdog(bool asRoot, string bin, string root)
    {
        var (stopFile, stopArgs) = Command(asRoot, Path.Combine(bin, "pg_ctl"), $"-D {dataDir} -m immediate stop");
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 2; done; {stopFile} {stopArgs} >/dev/null 2>&1; rm -rf {root}";
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

    private static (string File, string Args) Command(bool asRoot, string file, string args) =>
        asRoot ? ("runuser", $"-u postgres -- {file} {args}") : (file, args);

    private static Task RunPgAsync(bool asRoot, string file, string args)
    {
        var (f, a) = Command(asRoot, file, args);
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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
