using System.Diagnostics;

namespace EstateVoice.Bench.Webhooks;

/// <summary>A throwaway PostgreSQL (initdb + pg_ctl on a free port, as the tests do; no Docker here). Durable settings: fsync on.</summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string root;
    private readonly string bin;
    private readonly bool asRoot = Environment.UserName == "root";
    public string ConnectionString { get; }

    private PostgresCluster(string root, string bin, int port)
    {
        this.root = root;
        this.bin = bin;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=estate;Database=estate_bench;Maximum Pool Size=64";
    }

    public static async Task<PostgresCluster> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).OrderDescending()
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb"))) ?? throw new InvalidOperationException("PostgreSQL binaries not found under /usr/lib/postgresql");
        var root = Directory.CreateTempSubdirectory("estate-bench-pg-").FullName;
        var cluster = new PostgresCluster(root, bin, ServerProcess.FreePort());
        var port = new Npgsql.NpgsqlConnectionStringBuilder(cluster.ConnectionString).Port;
        if (cluster.asRoot) await RunAsync("chown", $"-R postgres {root}");
        await cluster.PgAsync("initdb", $"-D {root}/data -A trust -U estate -E UTF8");
        await cluster.PgAsync("pg_ctl", $"-D {root}/data -w -l {root}/log -o \"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=200\" start");
        await using var connection = new Npgsql.NpgsqlConnection(cluster.ConnectionString.Replace("estate_bench", "postgres"));
        await connection.OpenAsync();
        await using var create = new Npgsql.NpgsqlCommand("CREATE DATABASE estate_bench", connection);
        await create.ExecuteNonQueryAsync();
        return cluster;
    }

    private Task PgAsync(string tool, string args) =>
        asRoot ? RunAsync("runuser", $"-u postgres -- {Path.Combine(bin, tool)} {args}") : RunAsync(Path.Combine(bin, tool), args);

    private static async Task RunAsync(string file, string args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" })!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {args} failed: {await stderr}");
    }

    public async ValueTask DisposeAsync()
    {
        try { await PgAsync("pg_ctl", $"-D {root}/data -m immediate stop"); } catch (InvalidOperationException) { }
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
