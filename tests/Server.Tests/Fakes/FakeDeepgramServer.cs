using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EstateVoice.Server.Tests.Fakes;

/// <summary>
/// Speaks Deepgram's wire protocol on loopback. Live (<c>/v1/listen</c>): detects utterances in the mu-law audio with
/// an energy VAD (on audio time, not wall time) and answers the next scripted transcript for each one, with
/// SpeechStarted, interim and final Results, UtteranceEnd, empty finals over silence, KeepAlive/CloseStream/Finalize
/// handling, an optional idle timeout (Deepgram's NET-0001), an optional drop of the first socket mid-call, and
/// sockets that go silent (<see cref="ProviderFault.GoSilentAfterSpeechMs"/>).
/// Speak (<c>/v1/speak</c>): streams mu-law bytes in flushed chunks, optionally holding after the first one.
/// <see cref="ListenFaults"/> and <see cref="SpeakFaults"/> script a fault per connection/request (500s, stalls, drops).
/// </summary>
public sealed partial class FakeDeepgramServer : IAsyncDisposable
{
    public const string ApiKey = "fake-deepgram-key";
    private const int BytesPerSecond = 8000;
    private const int FrameBytes = 160;

    private readonly object _scriptLock = new();
    private WebApplication _app = null!;
    private readonly Dictionary<ulong, string> _heard = new();
    private int _connections;

    private FakeDeepgramServer(IEnumerable<string> script) => Script = script.ToList();

    /// <summary>Transcript of the n-th utterance heard (across reconnects).</summary>
    public List<string> Script { get; }

    /// <summary>Abort the first live socket once it has received this many audio bytes (results for that chunk are lost too).</summary>
    public long? DropFirstConnectionAfterBytes { get; set; }

    /// <summary>Close a live socket that received nothing (audio or KeepAlive) for this long.</summary>
    public TimeSpan? IdleTimeout { get; set; }

    /// <summary>
    /// When set, a live socket's final result of speech (<c>speech_final</c>) waits until this completes (10 s at most):
    /// a test holds the final until what its interim set off has happened, however fast the audio came.
    /// </summary>
    public Task? HoldSpeechFinalUntil { get; set; }

    /// <summary>Mean absolute PCM amplitude above which a 20 ms frame counts as speech.</summary>
    public double SpeechThreshold { get; set; } = 400;

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>
    /// Live connections that received audio so far. A reconnecting client replays its audio right after it takes the new
    /// socket into use, so this shows the client is sending on it — <see cref="Connections"/> counts the accept, before that.
    /// </summary>
    public int ConnectionsThatHeardAudio => Volatile.Read(ref _connectionsThatHeardAudio);
    private int _connectionsThatHeardAudio;
    public int IdleCloses;
    public ConcurrentQueue<string> ControlMessages { get; } = new();
    public ConcurrentQueue<string> ListenQueries { get; } = new();
    public ConcurrentQueue<long> AudioBytesPerConnection { get; } = new();

    /// <summary>Answer 503 to every live connection after the first (a Deepgram outage).</summary>
    public bool RefuseReconnects { get; set; }

    /// <summary>Faults for the next live connections, one per connection in arrival order.</summary>
    public ConcurrentQueue<ProviderFault> ListenFaults { get; } = new();

    /// <summary>Faults for the next speak requests, one per request in arrival order.</summary>
    public ConcurrentQueue<ProviderFault> SpeakFaults { get; } = new();

    /// <summary>Speak requests that were answered (or failed) by a scripted fault.</summary>
    public int SpeakFaultsPlayed;

    public int SpeakStatusCode { get; set; } = 200;
    public int SpeakChunkBytes { get; set; } = 800;
    public byte[]? SpeakAudio { get; set; }

    /// <summary>When set, the speak response stops after its first chunk until this completes.</summary>
    public TaskCompletionSource? HoldSpeakAfterFirstChunk { get; set; }

    /// <summary>When set, the speak endpoint sends nothing (not even headers) until this completes.</summary>
    public TaskCompletionSource? StallSpeakBeforeHeaders { get; set; }

    public ConcurrentQueue<(string Query, string Text, string? Authorization)> SpeakRequests { get; } = new();

    /// <summary>Authorization headers of GET /v1/projects (the admin integrations probe).</summary>
    public ConcurrentQueue<string> ProjectsRequests { get; } = new();

    public string BaseUrl => _app.BaseUrl();

    public static async Task<FakeDeepgramServer> StartAsync(params string[] script)
    {
        var fake = new FakeDeepgramServer(script);
        fake._app = await FakeServerHost.StartAsync(app =>
        {
            app.Map("/v1/listen", fake.HandleListenAsync);
            app.MapPost("/v1/speak", fake.HandleSpeakAsync);
            app.MapGet("/v1/projects", (HttpContext c) =>
            {
                fake.ProjectsRequests.Enqueue(c.Request.Headers.Authorization.ToString());
                return c.Request.Headers.Authorization == "Token " + ApiKey
                    ? Results.Json(new { projects = new[] { new { project_id = "p1", name = "Fake project" } } })
                    : Results.Json(new { err_code = "INVALID_AUTH", err_msg = "Invalid credentials." }, statusCode: 401);
            });
        });
        return fake;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    public static byte[] SpeakBytesFor(string text) =>
        Enumerable.Range(0, 400 * text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length).Select(i => (byte)(i % 251)).ToArray();

    private async Task HandleListenAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest) { context.Response.StatusCode = 400; return; }
        if (context.Request.Headers.Authorization != "Token " + ApiKey) { context.Response.StatusCode = 401; return; }
        var query = context.Request.Query;
        if (query["encoding"] != "mulaw" || query["sample_rate"] != "8000" || query["channels"] != "1")
        {
            context.Response.StatusCode = 400;
            return;
        }
        ListenQueries.Enqueue(context.Request.QueryString.Value ?? "");
        var connection = Interlocked.Increment(ref _connections);
        if (connection > 1 && RefuseReconnects) { context.Response.StatusCode = 503; return; }
        ListenFaults.TryDequeue(out var fault);
        if (fault is ProviderFault.Refuse refuse) { context.Response.StatusCode = refuse.StatusCode; return; }
        if (fault is ProviderFault.Stall stall && !await StallAsync(stall.Duration, context.RequestAborted)) return;
        var dropAfter = (fault as ProviderFault.DropAfterBytes)?.Bytes ?? (connection == 1 ? DropFirstConnectionAfterBytes : null);
        var detector = new UtteranceDetector(this,
            endpointingBytes: IntParameter(query["endpointing"], 10) * BytesPerSecond / 1000,
            utteranceEndBytes: IntParameter(query["utterance_end_ms"], 1000) * BytesPerSecond / 1000);

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[64 * 1024];
        long received = 0, speechBytes = 0;
        var silent = fault is ProviderFault.GoSilentAfterSpeechMs { Ms: 0 };
        try
        {
            while (true)
            {
                using var idle = new CancellationTokenSource(IdleTimeout ?? Timeout.InfiniteTimeSpan);
                WebSocketReceiveResult result;
                try
                {
                    result = await socket.ReceiveAsync(buffer, idle.Token);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref IdleCloses);
                    context.Abort();
                    return;
                }
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    if (dropAfter is { } dropAt && received + result.Count >= dropAt)
                    {
                        context.Abort();
                        return;
                    }
                    if (MeanAbsolute(buffer.AsSpan(0, result.Count)) > SpeechThreshold) speechBytes += result.Count;
                    if (fault is ProviderFault.DropAfterSpeechMs dropSpeech && speechBytes >= dropSpeech.Ms * (BytesPerSecond / 1000))
                    {
                        context.Abort();
                        return;
                    }
                    if (received == 0) Interlocked.Increment(ref _connectionsThatHeardAudio);
                    received += result.Count;
                    silent |= fault is ProviderFault.GoSilentAfterSpeechMs quiet && speechBytes >= quiet.Ms * (BytesPerSecond / 1000);
                    var results = detector.Feed(buffer.AsSpan(0, result.Count));
                    if (silent) continue;
                    if (fault is ProviderFault.GoSilentAfterFirstInterim && results.FindIndex(IsInterimWithWords) is var interim and >= 0)
                    {
                        await SendAllAsync(socket, results.GetRange(0, interim + 1));
                        silent = true;
                        continue;
                    }
                    if (HoldSpeechFinalUntil is { } hold && results.Exists(r => r.Contains("\"speech_final\":true", StringComparison.Ordinal)))
                    {
                        try { await hold.WaitAsync(TimeSpan.FromSeconds(10), context.RequestAborted); }
                        catch (TimeoutException) { }
                    }
                    await SendAllAsync(socket, results);
                    continue;
                }
                var type = JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.GetProperty("type").GetString() ?? "";
                ControlMessages.Enqueue(type);
                if (silent) continue;
                if (type == "Finalize") await SendAllAsync(socket, detector.Flush(fromFinalize: true));
                if (type == "CloseStream")
                {
                    var flushed = detector.Flush(fromFinalize: false);
                    flushed.Add(JsonSerializer.Serialize(new
                    {
                        type = "Metadata", transaction_key = "deprecated", request_id = Guid.NewGuid(), sha256 = "", created = DateTime.UtcNow,
                        duration = detector.Position / (double)BytesPerSecond, channels = 1,
                    }));
                    await SendAllAsync(socket, flushed);
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }
            }
        }
        catch (WebSocketException)
        {
            // The client went away; nothing to clean up.
        }
        finally
        {
            AudioBytesPerConnection.Enqueue(received);
        }
    }

    private async Task HandleSpeakAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var text = body.RootElement.GetProperty("text").GetString() ?? "";
        SpeakRequests.Enqueue((context.Request.QueryString.Value ?? "", text, context.Request.Headers.Authorization));
        var q = context.Request.Query;
        if (context.Request.Headers.Authorization != "Token " + ApiKey) { context.Response.StatusCode = 401; return; }
        if (q["encoding"] != "mulaw" || q["sample_rate"] != "8000" || q["container"] != "none" || string.IsNullOrEmpty(q["model"]))
        {
            context.Response.StatusCode = 400;
            return;
        }
        if (StallSpeakBeforeHeaders is { } stall)
        {
            try { await stall.Task.WaitAsync(context.RequestAborted); }
            catch (OperationCanceledException) { return; }
        }
        if (SpeakFaults.TryDequeue(out var fault)) Interlocked.Increment(ref SpeakFaultsPlayed);
        if (fault is ProviderFault.Stall pause && !await StallAsync(pause.Duration, context.RequestAborted)) return;
        var status = fault is ProviderFault.Refuse refuse ? refuse.StatusCode : SpeakStatusCode;
        if (status != 200)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new { err_code = "FAKE", err_msg = "scripted failure" });
            return;
        }
        context.Response.ContentType = "audio/mulaw";
        var audio = SpeakAudio ?? SpeakBytesFor(text);
        for (var i = 0; i < audio.Length; i += SpeakChunkBytes)
        {
            if (fault is ProviderFault.DropAfterBytes drop && i >= drop.Bytes)
            {
                context.Abort();
                return;
            }
            await context.Response.Body.WriteAsync(audio.AsMemory(i, Math.Min(SpeakChunkBytes, audio.Length - i)));
            await context.Response.Body.FlushAsync();
            if (i == 0 && HoldSpeakAfterFirstChunk is { } hold) await hold.Task.WaitAsync(context.RequestAborted);
        }
    }

    /// <returns>False when the client gave up during the stall.</returns>
    private static async Task<bool> StallAsync(TimeSpan duration, CancellationToken aborted)
    {
        try
        {
            await Task.Delay(duration, aborted);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task SendAllAsync(WebSocket socket, List<string> messages)
    {
        foreach (var message in messages)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
        }
    }

    private static bool IsInterimWithWords(string result) =>
        result.Contains("\"is_final\":false", StringComparison.Ordinal) && !result.Contains("\"transcript\":\"\"", StringComparison.Ordinal);

    private static int IntParameter(string? value, int fallback) => int.TryParse(value, out var v) ? v : fallback;

    /// <summary>
    /// Utterances are recognised by their audio (a hash of their first voiced frames), so audio replayed after a
    /// reconnect gets the same transcript again while a new utterance gets the next scripted line.
    /// </summary>
    private string TranscriptFor(ulong fingerprint)
    {
        lock (_scriptLock)
        {
            if (_heard.TryGetValue(fingerprint, out var known)) return known;
            var index = _heard.Count;
            var text = index < Script.Count ? Script[index] : $"unscripted utterance {index + 1}";
            _heard[fingerprint] = text;
            return text;
        }
    }
}
