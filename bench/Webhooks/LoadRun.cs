using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;

namespace EstateVoice.Bench.Webhooks;

public sealed record LoadResult(string Mode, int Sent, double Seconds, IReadOnlyList<double> LatenciesMs, int Processed, int Duplicates, int Errors)
{
    public double PerSecond => Sent / Seconds;
}

/// <summary>Sends deliveries and times them. Paced runs time from each request's scheduled start (no coordinated omission).</summary>
public sealed class LoadRun(HttpClient http, Uri endpoint, EventSource events)
{
    private readonly ConcurrentQueue<double> latencies = new();
    private int processed, duplicates, errors, sent;
    private int processedEver;

    /// <summary>"processed" answers over every phase, warm-up included: more than there are log rows would be a double write.</summary>
    public int ProcessedEver => processedEver;

    /// <summary>Open loop: <paramref name="rate"/> deliveries per second for <paramref name="duration"/>, whatever the server's speed.</summary>
    public async Task<LoadResult> PacedAsync(int rate, TimeSpan duration)
    {
        Reset();
        var inFlight = new List<Task>();
        var started = Stopwatch.GetTimestamp();
        var total = (int)(rate * duration.TotalSeconds);
        for (var i = 0; i < total;)
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var due = Math.Min(total, (int)(elapsed * rate) + 1);
            for (; i < due; i++)
                inFlight.Add(SendAsync(started + (long)(i / (double)rate * Stopwatch.Frequency)));
            await Task.Delay(2);
        }
        await Task.WhenAll(inFlight);
        return Result("paced", Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>Closed loop: <paramref name="concurrency"/> senders back to back; the server's ceiling.</summary>
    public async Task<LoadResult> SaturatedAsync(int concurrency, TimeSpan duration)
    {
        Reset();
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Stopwatch.GetElapsedTime(started) < duration) await SendAsync(Stopwatch.GetTimestamp());
        }));
        return Result($"max x{concurrency}", Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private async Task SendAsync(long scheduledAt)
    {
        await Task.Yield();
        var (body, signature, _) = events.Next();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("ElevenLabs-Signature", signature);
        Interlocked.Increment(ref sent);
        try
        {
            using var response = await http.SendAsync(request);
            var answer = await response.Content.ReadAsByteArrayAsync();
            latencies.Enqueue(Stopwatch.GetElapsedTime(scheduledAt).TotalMilliseconds);
            // The server's answers are small fixed shapes: a byte search is enough (and cheaper than parsing).
            var ok = response.IsSuccessStatusCode && answer.AsSpan().IndexOf("\"success\":true"u8) >= 0;
            if (ok && answer.AsSpan().IndexOf("\"status\":\"processed\""u8) >= 0) { Interlocked.Increment(ref processed); Interlocked.Increment(ref processedEver); }
            else if (ok && answer.AsSpan().IndexOf("\"status\":\"duplicate\""u8) >= 0) Interlocked.Increment(ref duplicates);
            else Interlocked.Increment(ref errors);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Interlocked.Increment(ref errors);
        }
    }

    private void Reset()
    {
        latencies.Clear();
        (processed, duplicates, errors, sent) = (0, 0, 0, 0);
    }

    private LoadResult Result(string mode, double seconds) => new(mode, sent, seconds, latencies.ToArray(), processed, duplicates, errors);
}
