using System.Diagnostics;
using StackExchange.Redis;

namespace EstateVoice.Server.Tests.Infrastructure;

/// <summary>
/// A real Redis (Debian's <c>redis-server</c>) for the whole test run, started on first use on a free port from a
/// temp dir, with no persistence. Each test takes a <see cref="RedisTarget"/> of its own: a key and channel prefix
/// no other test uses, so tests share no keys, limits or pub/sub messages.
/// </summary>
public static class RedisServer
{
    private static readonly Lazy<Task<RedisProcess>> Server = new(RedisProcess.StartAsync);

    public static async Task<RedisTarget> CreateAsync() =>
        new((await Server.Value).Url, "t" + Guid.NewGuid().ToString("N")[..12] + ":");
}

/// <summary>Where one test's nodes meet: <c>REDIS_URL</c> and their own <c>Redis:KeyPrefix</c>.</summary>
public sealed record RedisTarget(string Url, string KeyPrefix)
{
    /// <summary>As host settings (AppFactory, VoiceAppFactory).</summary>
    public Dictionary<string, string?> Settings => new() { ["REDIS_URL"] = Url, ["Redis:KeyPrefix"] = KeyPrefix };

    /// <summary>As a server process's environment.</summary>
    public Dictionary<string, string> Environment => new() { ["REDIS_URL"] = Url, ["Redis__KeyPrefix"] = KeyPrefix };

    /// <summary>Calls counted by the server for each Redis command since start (INFO commandstats), e.g. <c>publish</c>, <c>evalsha</c>.</summary>
    public async Task<Dictionary<string, long>> CommandCountsAsync()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(Url + ",allowAdmin=true");
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var info = await server.InfoAsync("commandstats");
        return info.SelectMany(g => g)
            .Where(p => p.Key.StartsWith("cmdstat_", StringComparison.Ordinal))
            .ToDictionary(p => p.Key["cmdstat_".Length..],
                p => long.Parse(p.Value.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }
}

internal sealed class RedisProcess
{
    private RedisProcess(string url) => Url = url;

    public string Url { get; }

    public static async Task<RedisProcess> StartAsync()
    {
        var root = Directory.CreateTempSubdirectory("estate-redis-").FullName;
        var port = PostgresServer.FreePort();
        var pidFile = Path.Combine(root, "redis.pid");
        var binary = File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server"
            : throw new InvalidOperationException("redis-server not found: run `make deps` (it installs the redis-server package).");
        using (var start = Process.Start(new ProcessStartInfo(binary,
               [
                   "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", root,
                   "--save", "", "--appendonly", "no", "--daemonize", "yes", "--pidfile", pidFile, "--logfile", Path.Combine(root, "log"),
               ])
        { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root })!)
        {
            await start.WaitForExitAsync();
            if (start.ExitCode != 0)
                throw new InvalidOperationException($"redis-server failed to start ({start.ExitCode}): {await start.StandardError.ReadToEndAsync()}");
        }
        var url = $"127.0.0.1:{port}";
        await WaitUntilReadyAsync(url);
        StartWatchdog(root, pidFile);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(root, pidFile);
        return new RedisProcess(url);
    }

    private static async Task WaitUntilReadyAsync(string url)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = await ConnectionMultiplexer.ConnectAsync(url + ",connectTimeout=1000");
                await connection.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (deadline.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(50);
            }
        }
    }

    private static void Stop(string root, string pidFile)
    {
        try
        {
            if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
                Process.GetProcessById(pid).Kill();
        }
        catch (ArgumentException) { } // already gone
        catch (InvalidOperationException) { }
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>As <see cref="PostgresCluster"/>'s: the test host is often killed, so a detached shell stops Redis once it is gone.</summary>
    private static void StartWatchdog(string root, string pidFile)
    {
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null && [ -d {root} ]; do sleep 2; done; kill -9 $(cat {pidFile}) >/dev/null 2>&1; rm -rf {root}";
        using var watchdog = Process.Start(new ProcessStartInfo("setsid", ["bash", "-c", script])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp",
        });
    }
}
