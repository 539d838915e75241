using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace EstateVoice.CallSimulator;

// A call driven by hand (the server's tests): connect to a media-stream URL, start it as Twilio does with the call's
// id and stream token, send audio, keys, text or any raw message when the test says so, and keep what the server sent
// back with arrival times. Marks are echoed on arrival — the audio "played" at once — unless EchoMarks is off.
public sealed partial class SimulatedCall
{
    private readonly System.Diagnostics.Stopwatch sinceCreated = System.Diagnostics.Stopwatch.StartNew();
    private bool recording;
    // Twilio's media timestamp: the position of the caller's audio in the stream, 20 ms a frame.
    private long mediaTimestamp;

    /// <summary>A call driven by hand: <see cref="ConnectAsync"/>, then <see cref="StartAsync"/>.</summary>
    public SimulatedCall() : this(new ClientWebSocket(), "", new Dictionary<string, string>(), connected: false)
    {
    }

    /// <summary>Agent audio as it arrived (driven by hand): when, and how many bytes.</summary>
    public ConcurrentQueue<(double AtMs, int Bytes)> Media { get; } = new();
    public ConcurrentQueue<(double AtMs, string Name)> Marks { get; } = new();
    public ConcurrentQueue<double> Clears { get; } = new();
    /// <summary>For each clear, how many media messages had arrived before it: an order, free of the client's timing.</summary>
    public ConcurrentQueue<int> ClearsAfterMedia { get; } = new();
    public ConcurrentQueue<string> Transcripts { get; } = new();
    /// <summary>Every event but media, in order; completed when the socket closes.</summary>
    public Channel<string> Events { get; } = Channel.CreateUnbounded<string>();
    public bool EchoMarks { get; set; } = true;
    public WebSocketState State => socket.State;
    public double NowMs => sinceCreated.Elapsed.TotalMilliseconds;
    public double? StartSentAtMs { get; private set; }

    public async Task ConnectAsync(Uri uri)
    {
        recording = true;
        await socket.ConnectAsync(uri, stop.Token);
        receiving = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Twilio's <c>connected</c> and <c>start</c>, with the call's id and stream token as custom parameters.</summary>
    public Task StartAsync(int callId, string token, string encoding = "audio/x-mulaw", int sampleRate = 8000,
        IReadOnlyDictionary<string, string>? parameters = null)
    {
        var custom = new Dictionary<string, string> { ["call_id"] = callId.ToString(CultureInfo.InvariantCulture), ["stream_token"] = token };
        foreach (var (name, value) in parameters ?? new Dictionary<string, string>()) custom[name] = value;
        CallSid = "CA" + callId.ToString(CultureInfo.InvariantCulture);
        Parameters = custom;
        Enqueue(JsonSerializer.SerializeToUtf8Bytes(new { @event = "connected", protocol = "Call", version = "1.0.0" }));
        StartSentAtMs = NowMs;
        Enqueue(JsonSerializer.SerializeToUtf8Bytes(new
        {
            @event = "start", sequenceNumber = "1", streamSid,
            start = new
            {
                streamSid, accountSid = "AC123", callSid = CallSid, tracks = new[] { "inbound" },
                customParameters = custom, mediaFormat = new { encoding, sampleRate, channels = 1 },
            },
        }));
        return outbound.DrainAsync();
    }

    /// <summary>Sends audio in 20 ms frames; <paramref name="speed"/> 1 is real time, 0 as fast as possible.</summary>
    public async Task SendAudioAsync(byte[] mulaw, double speed = 1)
    {
        var started = NowMs;
        var frames = 0;
        for (var i = 0; i < mulaw.Length; i += CallerAudio.FrameBytes)
        {
            EnqueueMedia(mulaw.AsSpan(i, Math.Min(CallerAudio.FrameBytes, mulaw.Length - i)), ++chunk, mediaTimestamp);
            mediaTimestamp += FrameMs;
            frames++;
            if (speed > 0)
            {
                var wait = started + frames * FrameMs / speed - NowMs;
                if (wait > 1) await Task.Delay(TimeSpan.FromMilliseconds(wait));
            }
        }
        await outbound.DrainAsync();
    }

    private const int FrameMs = 20;

    public Task SendDtmfAsync(char digit)
    {
        PressKey(digit);
        return outbound.DrainAsync();
    }

    /// <summary>Twilio's <c>stop</c> (the caller hung up); the socket stays open for the server to close.</summary>
    public Task StopAsync()
    {
        EnqueueNumbered(sequenceNumber => JsonSerializer.SerializeToUtf8Bytes(new
        {
            @event = "stop", sequenceNumber, streamSid, stop = new { accountSid = "AC123", callSid = CallSid },
        }));
        return outbound.DrainAsync();
    }

    /// <summary>Typed words, as the browser test call sends them.</summary>
    public Task SendTextAsync(string text) => SendJsonAsync(new { @event = "text", text });

    public Task SendJsonAsync(object message) => SendRawAsync(JsonSerializer.Serialize(message));

    /// <summary>Any text message, well-formed or not, in order with the rest.</summary>
    public Task SendRawAsync(string text)
    {
        Enqueue(Encoding.UTF8.GetBytes(text));
        return outbound.DrainAsync();
    }

    /// <summary>Drops the connection without a close handshake (a phone network failure).</summary>
    public void Abort() => socket.Abort();

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

    /// <summary>Polls a slower condition (a database query) less often than an in-memory one.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, int timeoutMs = 10000)
    {
        var deadline = NowMs + timeoutMs;
        while (!await condition())
        {
            if (NowMs > deadline) throw new TimeoutException("condition not met");
            await Task.Delay(50);
        }
    }

    /// <summary>Keeps a message from the server (driven by hand). True when it is fully handled here (a mark: echoed on arrival).</summary>
    private bool Record(ServerMessage message, ReadOnlySpan<byte> json)
    {
        var at = NowMs;
        switch (message.Event)
        {
            case "media":
                Media.Enqueue((at, message.PayloadBytes));
                return false;
            case "mark" when message.MarkName is { } name:
                Marks.Enqueue((at, name));
                if (EchoMarks) EchoMark(name);
                break;
            case "clear":
                ClearsAfterMedia.Enqueue(Media.Count);
                Clears.Enqueue(at);
                break;
            case "transcript":
                using (var doc = JsonDocument.Parse(json.ToArray()))
                    Transcripts.Enqueue(doc.RootElement.GetProperty("speaker").GetString() + ": " + doc.RootElement.GetProperty("text").GetString());
                break;
        }
        if (message.Event is { } kind) Events.Writer.TryWrite(kind);
        return message.Event == "mark";
    }

    private async Task CloseGracefullyAsync()
    {
        if (socket.State != WebSocketState.Open) return;
        try
        {
            await outbound.DrainAsync().WaitAsync(TimeSpan.FromSeconds(2));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException)
        {
        }
    }
}
