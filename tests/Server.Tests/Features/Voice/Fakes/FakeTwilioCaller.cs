using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using EstateVoice.Server.Features.Voice.Twilio;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice.Fakes;

/// <summary>
/// Plays Twilio's side of a bidirectional media stream over a real WebSocket: connected/start/media/dtmf/stop out,
/// and records what the server sends back (media with arrival times, marks — echoed like Twilio does — and clears).
/// </summary>
public sealed class FakeTwilioCaller : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _cts = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private Task? _receiver;
    private int _sequence;
    private long _mediaTimestamp;
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    public string StreamSid { get; } = "MZ" + Guid.NewGuid().ToString("N");
    public ConcurrentQueue<(double AtMs, int Bytes)> Media { get; } = new();
    public ConcurrentQueue<(double AtMs, string Name)> Marks { get; } = new();
    public ConcurrentQueue<double> Clears { get; } = new();
    /// <summary>For each clear, how many media messages had arrived before it: an order, free of the client's timing.</summary>
    public ConcurrentQueue<int> ClearsAfterMedia { get; } = new();
    public ConcurrentQueue<string> Transcripts { get; } = new();
    public Channel<string> Events { get; } = Channel.CreateUnbounded<string>();
    public bool EchoMarks { get; set; } = true;
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;
    public WebSocketState State => _socket.State;
    public double NowMs => _clock.Elapsed.TotalMilliseconds;
    public double? StartSentAtMs { get; private set; }

    public async Task ConnectAsync(Uri uri)
    {
        await _socket.ConnectAsync(uri, _cts.Token);
        _receiver = Task.Run(ReceiveAsync);
    }

    public async Task StartAsync(int callId, string token, string encoding = "audio/x-mulaw", int sampleRate = 8000,
        IReadOnlyDictionary<string, string>? parameters = null)
    {
        var custom = new Dictionary<string, string> { ["call_id"] = callId.ToString(), ["stream_token"] = token };
        foreach (var (name, value) in parameters ?? new Dictionary<string, string>()) custom[name] = value;
        await SendJsonAsync(new { @event = "connected", protocol = "Call", version = "1.0.0" });
        StartSentAtMs = NowMs;
        await SendJsonAsync(new
        {
            @event = "start",
            sequenceNumber = Next(),
            streamSid = StreamSid,
            start = new
            {
                streamSid = StreamSid, accountSid = "AC123", callSid = "CA" + callId,
                tracks = new[] { "inbound" },
                customParameters = custom,
                mediaFormat = new { encoding, sampleRate, channels = 1 },
            },
        });
    }

    private string Next() => Interlocked.Increment(ref _sequence).ToString();

    /// <summary>Sends audio in 20 ms frames; <paramref name="speed"/> 1 is real time, 0 as fast as possible.</summary>
    public async Task SendAudioAsync(byte[] mulaw, double speed = 1)
    {
        var started = NowMs;
        var frames = 0;
        for (var i = 0; i < mulaw.Length; i += MuLaw.FrameBytes)
        {
            var frame = mulaw.AsSpan(i, Math.Min(MuLaw.FrameBytes, mulaw.Length - i)).ToArray();
            await SendJsonAsync(new
            {
                @event = "media", sequenceNumber = Next(), streamSid = StreamSid,
                media = new { track = "inbound", chunk = (frames + 1).ToString(), timestamp = _mediaTimestamp.ToString(), payload = Convert.ToBase64String(frame) },
            });
            _mediaTimestamp += MuLaw.FrameMs;
            frames++;
            if (speed > 0)
            {
                var due = started + frames * MuLaw.FrameMs / speed;
                var wait = due - NowMs;
                if (wait > 1) await Task.Delay(TimeSpan.FromMilliseconds(wait));
            }
        }
    }

    /// <summary>Says an utterance, then waits for the agent's whole reply.</summary>
    public async Task SayAndAwaitReplyAsync(byte[] utterance, double speed = 4)
    {
        var before = Media.Count;
        await SayAsync(utterance, speed: speed);
        await WaitForAgentToFinishAsync(sinceMediaCount: before);
    }

    /// <summary>Says an utterance followed by the silence that ends the turn.</summary>
    public Task SayAsync(byte[] utterance, int trailingSilenceMs = 600, double speed = 1) =>
        SendAudioAsync([.. utterance, .. AudioFixtures.Silence(trailingSilenceMs)], speed);

    public Task SendDtmfAsync(char digit) =>
        SendJsonAsync(new { @event = "dtmf", sequenceNumber = Next(), streamSid = StreamSid, dtmf = new { track = "inbound_track", digit = digit.ToString() } });

    public Task StopAsync() =>
        SendJsonAsync(new { @event = "stop", sequenceNumber = Next(), streamSid = StreamSid, stop = new { accountSid = "AC123", callSid = "CA" } });

    public Task SendTextAsync(string text) => SendJsonAsync(new { @event = "text", text });

    public async Task SendJsonAsync(object message) => await SendRawAsync(JsonSerializer.Serialize(message));

    public async Task SendRawAsync(string text)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, _cts.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Drops the connection without a close handshake (a phone network failure).</summary>
    public void Abort() => _socket.Abort();

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var length = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), _cts.Token);
                    length += result.Count;
                } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close) break;
                await HandleAsync(Encoding.UTF8.GetString(buffer, 0, length));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            Events.Writer.TryComplete();
        }
    }

    private async Task HandleAsync(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var kind = root.GetProperty("event").GetString();
        var at = NowMs;
        switch (kind)
        {
            case "media":
                Media.Enqueue((at, Convert.FromBase64String(root.GetProperty("media").GetProperty("payload").GetString()!).Length));
                return;
            case "mark":
                var name = root.GetProperty("mark").GetProperty("name").GetString()!;
                Marks.Enqueue((at, name));
                // Twilio echoes a mark once the audio before it has played; this fake "plays" on arrival.
                if (EchoMarks) await SendJsonAsync(new { @event = "mark", sequenceNumber = Next(), streamSid = StreamSid, mark = new { name } });
                break;
            case "clear":
                ClearsAfterMedia.Enqueue(Media.Count);
                Clears.Enqueue(at);
                break;
            case "transcript":
                Transcripts.Enqueue(root.GetProperty("speaker").GetString() + ": " + root.GetProperty("text").GetString());
                break;
        }
        Events.Writer.TryWrite(kind!);
    }

    /// <summary>Waits until new agent audio has been followed by its sentence mark and <paramref name="quietMs"/> of silence.</summary>
    public async Task WaitForAgentToFinishAsync(int quietMs = 300, int timeoutMs = 15000, int? sinceMediaCount = null)
    {
        var deadline = NowMs + timeoutMs;
        var countAtStart = sinceMediaCount ?? Media.Count;
        while (NowMs < deadline)
        {
            await Task.Delay(25);
            if (Media.Count == countAtStart || Marks.IsEmpty) continue;
            var lastMedia = Media.LastOrDefault().AtMs;
            if (Marks.LastOrDefault().AtMs >= lastMedia && NowMs - lastMedia >= quietMs) return;
        }
        throw new TimeoutException("the agent did not finish speaking");
    }

    public async Task WaitUntilAsync(Func<bool> condition, int timeoutMs = 10000)
    {
        var deadline = NowMs + timeoutMs;
        while (!condition())
        {
            if (NowMs > deadline) throw new TimeoutException("condition not met");
            await Task.Delay(20);
        }
    }

    /// <summary>Polls a database condition (less often than an in-memory one: each poll is a query).</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, int timeoutMs = 10000)
    {
        var deadline = NowMs + timeoutMs;
        while (!await condition())
        {
            if (NowMs > deadline) throw new TimeoutException("condition not met");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
        await _cts.CancelAsync();
        if (_receiver is not null) await _receiver;
        _socket.Dispose();
        _cts.Dispose();
    }
}
