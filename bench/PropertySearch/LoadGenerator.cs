using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using EstateVoice.Bench.VoiceLoop;

namespace EstateVoice.Bench.PropertySearch;

/// <summary>
/// Open-loop load: request i is due at start + i/rate whether or not earlier ones have answered, and its latency
/// is measured from when it was due, so a stalled server shows up as queueing delay instead of being hidden by
/// a client that waits (coordinated omission).
/// </summary>
public static class LoadGenerator
{
    public static async Task<int> RunAsync(Uri baseUrl, string token, int rate, TimeSpan duration)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var random = new Random(7);

        // Warm-up (JIT, connection pool, PostgreSQL caches) at the same rate, not measured.
        await DriveAsync(http, random, rate, TimeSpan.FromSeconds(5), null);

        var samples = new ConcurrentBag<(string Kind, double Ms, double ServiceMs, bool Ok)>();
        var wall = Stopwatch.StartNew();
        await DriveAsync(http, random, rate, duration, samples);
        wall.Stop();

        var all = samples.ToList();
        var errors = all.Count(s => !s.Ok);
        Console.WriteLine($"Load: {rate} requests/s open loop for {duration.TotalSeconds:0} s, latency from each request's scheduled start (ms)");
        foreach (var kind in all.Select(s => s.Kind).Distinct().Order())
            Console.WriteLine($"  {kind,-8} {Percentiles.Summary(all.Where(s => s.Kind == kind && s.Ok).Select(s => s.Ms).ToList())}");
        var ok = all.Where(s => s.Ok).Select(s => s.Ms).ToList();
        Console.WriteLine($"  {"all",-8} {Percentiles.Summary(ok)}");
        Console.WriteLine($"  {"service",-8} {Percentiles.Summary(all.Where(s => s.Ok).Select(s => s.ServiceMs).ToList())}  (from actual send: excludes client-side scheduling lag)");
        Console.WriteLine($"  machine load average (1/5/15 min) at the end: {LoadAverage()}");
        Console.WriteLine($"  throughput {ok.Count / wall.Elapsed.TotalSeconds:0.0} responses/s, errors {errors} of {all.Count}");
        var p95 = Percentiles.Of(ok, 95);
        var pass = p95 <= 20 && errors == 0;
        Console.WriteLine(pass ? $"  ✔ p95 {p95:0.0} ms ≤ 20 ms, no errors" : $"  ✘ target missed (p95 {p95:0.0} ms, {errors} errors; target p95 ≤ 20 ms, no errors)");
        return pass ? 0 : 1;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static async Task DriveAsync(HttpClient http, Random random, int rate, TimeSpan duration, ConcurrentBag<(string, double, double, bool)>? samples)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var start = Stopwatch.GetTimestamp();
        var inFlight = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
            var (kind, path) = SearchQueries.Next(random, i);
            inFlight.Add(SendAsync(http, kind, path, due, samples));
        }
        await Task.WhenAll(inFlight);
    }

    private static async Task SendAsync(HttpClient http, string kind, string path, long due, ConcurrentBag<(string, double, double, bool)>? samples)
    {
        bool ok;
        var sent = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
            ok = response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            ok = false;
        }
        samples?.Add((kind, Stopwatch.GetElapsedTime(due).TotalMilliseconds, Stopwatch.GetElapsedTime(sent).TotalMilliseconds, ok));
    }
}
