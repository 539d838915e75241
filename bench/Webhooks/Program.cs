using System.Globalization;
using System.Net;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EstateVoice.Bench.Webhooks;

/// <summary>
/// ElevenLabs webhook throughput: signed post_call_transcription deliveries (10% duplicates) from this process
/// against the release server in another, on SQLite and on PostgreSQL. Prints throughput, latency percentiles and
/// the double-write check (rows in the event log, calls and turns versus unique events sent).
/// Usage: dotnet run --project bench/Webhooks -c Release -- [--db sqlite|postgres|all] [--rate 500] [--seconds 15] [--warmup 15] [--concurrency 16]
/// With <c>--huge-turns 10000</c> it times one transcription of that many turns instead (target: under 1 s).
/// </summary>
public static class Program
{
    private const string Secret = "wsec_bench_secret";

    public static async Task<int> Main(string[] args)
    {
        var option = (string name, string fallback) => args.SkipWhile(a => a != $"--{name}").Skip(1).FirstOrDefault() ?? fallback;
        var databases = option("db", "all") switch { "sqlite" => new[] { "sqlite" }, "postgres" => ["postgres"], _ => ["sqlite", "postgres"] };
        var rate = int.Parse(option("rate", "500"), CultureInfo.InvariantCulture);
        var seconds = double.Parse(option("seconds", "15"), CultureInfo.InvariantCulture);
        var concurrency = int.Parse(option("concurrency", "16"), CultureInfo.InvariantCulture);
        var warmUp = TimeSpan.FromSeconds(double.Parse(option("warmup", "15"), CultureInfo.InvariantCulture));
        var repoRoot = FindRepoRoot();
        if (args.Contains("--huge-turns"))
        {
            var turns = int.Parse(option("huge-turns", "10000"), CultureInfo.InvariantCulture);
            var fast = true;
            foreach (var db in databases) fast &= await HugeTranscriptAsync(db, repoRoot, turns);
            return fast ? 0 : 1;
        }

        Console.WriteLine($"ElevenLabs webhook benchmark: {warmUp.TotalSeconds:0} s warm-up, saturated with {concurrency} senders for {seconds / 2:0} s, then {rate}/s paced for {seconds:0} s; 10% duplicates; {Environment.ProcessorCount} CPUs");
        var ok = true;
        foreach (var db in databases) ok &= await RunAsync(db, repoRoot, rate, TimeSpan.FromSeconds(seconds), warmUp, concurrency);
        return ok ? 0 : 1;
    }

    /// <summary>One delivery of <paramref name="turns"/> turns after a few ordinary ones (JIT, pools): its response time.</summary>
    private static async Task<bool> HugeTranscriptAsync(string db, string repoRoot, int turns)
    {
        var dataDir = Directory.CreateTempSubdirectory("estate-bench-").FullName;
        var databaseUrl = db == "postgres" ? await PostgresServer.CreateDatabaseAsync() : $"sqlite:///{Path.Combine(dataDir, "estate.db")}";
        await using var server = await ServerNode.StartAsync(new Dictionary<string, string>
        {
            ["DATABASE_URL"] = databaseUrl, ["DATA_DIR"] = dataDir, ["SEED_DEMO_DATA"] = "false",
            ["JWT_SECRET_KEY"] = "bench-secret-key-that-is-long-enough-0123456789", ["Logging__LogLevel__Default"] = "Warning",
            ["ELEVENLABS_WEBHOOK_SECRET"] = Secret, ["ELEVENLABS_WEBHOOK_RATE_LIMIT_PER_MINUTE"] = "100000000",
        });
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };
        var url = new Uri(server.BaseUrl, "/webhooks/elevenlabs");
        var events = new EventSource(Secret, duplicateShare: 0);
        for (var i = 0; i < 20; i++)
        {
            var (warmBody, warmSignature, _) = events.Next();
            (await http.SendAsync(Post(url, warmBody, warmSignature))).EnsureSuccessStatusCode();
        }
        var (body, signature) = events.Huge(turns);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var response = await http.SendAsync(Post(url, body, signature));
        var ms = clock.Elapsed.TotalMilliseconds;
        var answer = await response.Content.ReadAsStringAsync();
        var fast = response.IsSuccessStatusCode && answer.Contains("\"processed\"", StringComparison.Ordinal) && ms < 1000;
        Console.WriteLine($"[{db}] one post_call_transcription of {turns} turns ({body.Length / 1024} kB): {ms:0} ms, {(int)response.StatusCode} {answer} -> {(fast ? "MET" : "NOT MET")} (target < 1000 ms)");
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        return fast;
    }

    private static HttpRequestMessage Post(Uri url, byte[] body, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TryAddWithoutValidation("elevenlabs-signature", signature);
        return request;
    }

    private static async Task<bool> RunAsync(string db, string repoRoot, int rate, TimeSpan duration, TimeSpan warmUp, int concurrency)
    {
        var dataDir = Directory.CreateTempSubdirectory("estate-bench-").FullName;
        var sqlitePath = Path.Combine(dataDir, "estate.db");
        var databaseUrl = db == "postgres" ? await PostgresServer.CreateDatabaseAsync() : $"sqlite:///{sqlitePath}";
        await using var server = await ServerNode.StartAsync(new Dictionary<string, string>
        {
            ["DATABASE_URL"] = databaseUrl, ["DATA_DIR"] = dataDir, ["SEED_DEMO_DATA"] = "false",
            ["JWT_SECRET_KEY"] = "bench-secret-key-that-is-long-enough-0123456789", ["Logging__LogLevel__Default"] = "Warning",
            ["ELEVENLABS_WEBHOOK_SECRET"] = Secret, ["ELEVENLABS_WEBHOOK_RATE_LIMIT_PER_MINUTE"] = "100000000",
        });
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            Timeout = TimeSpan.FromSeconds(30), DefaultRequestVersion = HttpVersion.Version11,
        };
        var events = new EventSource(Secret, duplicateShare: 0.10);
        var load = new LoadRun(http, new Uri(server.BaseUrl, "/webhooks/elevenlabs"), events);
        int? postmaster = null;
        if (db == "postgres")
            await using (var connection = new NpgsqlConnection(databaseUrl))
            {
                await connection.OpenAsync();
                postmaster = await CpuMeter.PostmasterPidAsync(connection);
            }
        var cpu = new CpuMeter(server.CpuTime, postmaster);

        // Warm-up (JIT tiering up to its optimised code, connection pools, database caches), then the server's
        // ceiling, then the paced target rate. Tiered compilation needs 30 calls of a method and then a background
        // recompile; with PGO a second, instrumented tier comes first — 5 s left that still running in the measured window.
        await load.SaturatedAsync(8, warmUp);
        if (db == "postgres") await AnalyzeAsync(databaseUrl);
        var before = cpu.Take();
        var saturated = await load.SaturatedAsync(concurrency, duration / 2);
        var middle = cpu.Take();
        var paced = await load.PacedAsync(rate, duration);
        var after = cpu.Take();

        var check = await CountRowsAsync(db, db == "postgres" ? databaseUrl : $"Data Source={sqlitePath}");
        var unique = events.Unique;
        // A double write shows as a call with more turns than one event carries, more calls than log rows, or more
        // "processed" answers than log rows. (Requests that timed out may leave fewer rows than events sent: that is
        // counted as errors, not as double writes.)
        var doubleWrites = check.ExtraTurns + Math.Max(0, check.Calls - check.Events) + Math.Max(0, load.ProcessedEver - check.Events);
        Console.WriteLine();
        Console.WriteLine(db == "postgres" ? "[postgres] (tables analyzed after the warm-up)" : $"[{db}]");
        foreach (var (r, usage) in new[] { (paced, CpuMeter.Describe(middle, after)), (saturated, CpuMeter.Describe(before, middle)) })
        {
            Console.WriteLine($"  {r.Mode,-9} {r.PerSecond,7:0} events/s  latency ms: p50 {P(r, 50),6:0.0}  p95 {P(r, 95),6:0.0}  p99 {P(r, 99),6:0.0}  " +
                              $"(sent {r.Sent}, processed {r.Processed}, duplicate {r.Duplicates}, errors {r.Errors})");
            Console.WriteLine($"  {"",-9} {usage}");
        }
        Console.WriteLine($"  unique events {unique}, duplicate deliveries {events.Duplicates}; rows: event log {check.Events} ({check.Processed} processed), calls {check.Calls}, turns {check.Turns}");
        Console.WriteLine($"  double writes: {doubleWrites}");
        if (server.Errors.Length > 0) Console.WriteLine("  server errors:\n" + string.Join('\n', server.Errors.Split('\n').Take(5)));
        var met = paced.PerSecond >= rate * 0.98 && P(paced, 95) <= 50 && doubleWrites == 0 && paced.Errors + saturated.Errors == 0 && check.Processed == unique;
        Console.WriteLine($"  target (>= {rate}/s, p95 <= 50 ms, zero double writes, no errors): {(met ? "MET" : "NOT MET")}");
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        return met;
    }

    /// <summary>
    /// Table statistics, as autovacuum's auto-analyze gives any live database (its first pass can come a minute after
    /// a new table starts filling, later than this run's warm-up). Without them the server's prepared statements keep
    /// the plans PostgreSQL made while the tables were empty — sequential scans — and the run measures that instead.
    /// </summary>
    private static async Task AnalyzeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var analyze = new NpgsqlCommand("ANALYZE", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    private static double P(LoadResult r, double percentile)
    {
        if (r.LatenciesMs.Count == 0) return double.NaN;
        var sorted = r.LatenciesMs.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private sealed record RowCounts(long Events, long Processed, long Calls, long Turns, long ExtraTurns);

    private static async Task<RowCounts> CountRowsAsync(string db, string connectionString)
    {
        const string sql = """
            SELECT (SELECT COUNT(*) FROM "ElevenLabsEventLogs"),
                   (SELECT COUNT(*) FROM "ElevenLabsEventLogs" WHERE "ProcessingState" = 'Processed'),
                   (SELECT COUNT(*) FROM "Calls"),
                   (SELECT COUNT(*) FROM "CallTurns"),
                   (SELECT COALESCE(SUM(n - 6), 0) FROM (SELECT COUNT(*) AS n FROM "CallTurns" GROUP BY "CallId" HAVING COUNT(*) > 6) AS extra)
            """;
        System.Data.Common.DbConnection connection = db == "postgres" ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        await using (connection)
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return new RowCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), Convert.ToInt64(reader.GetValue(4)));
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EstateVoice.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Run from inside the repository.");
    }
}
