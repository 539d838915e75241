using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using System.Threading.Channels;
using System.Xml.Linq;

namespace EstateVoice.CallSimulator;

public sealed record SimulatorOptions(Uri BaseUrl, string? AuthToken = null, string From = "+14155550142", string To = "+14155550100")
{
    /// <summary>Overrides the stream URL from the TwiML (e.g. a local deployment that names a public wss:// host).</summary>
    public Uri? StreamUrl { get; init; }
}

/// <param name="ResponseLatency">Caller end of speech to the first agent audio frame.</param>
public sealed record TurnTiming(string CallerLine, TimeSpan ResponseLatency, TimeSpan AgentAudio);

/// <summary>
/// Plays Twilio's side of one call — the one fake Twilio caller, used by the load generator, the benchmarks and the
/// server's tests. Dialled (<see cref="DialAsync"/>): signs and posts the voice webhook, opens the bidirectional media
/// stream, streams the caller's audio in real time (silence between lines, as Twilio does), plays the agent's audio
/// on a simulated playback clock, echoes marks when their audio "has played", and honours clear. Driven by hand
/// (<see cref="SimulatedCall()"/>, SimulatedCall.Manual.cs): the test sends what it wants when it wants and reads what
/// came back.
/// </summary>
public sealed partial class SimulatedCall : IAsyncDisposable
{
    private static readonly TimeSpan FrameDuration = TimeSpan.FromMilliseconds(20);
    private readonly ClientWebSocket socket;
    private readonly OrderedSender outbound;
    private readonly Channel<byte[]> callerAudio = Channel.CreateUnbounded<byte[]>();
    private readonly CancellationTokenSource stop = new();
    private readonly List<(string Name, long PlayedAtTicks)> pendingMarks = [];
    private readonly object playback = new();
    private Task receiving = Task.CompletedTask;
    private readonly object sendOrder = new(); // sequence numbers must reach the wire in order
    private long playbackEndTicks;          // when the agent audio queued so far finishes playing
    private long lastAgentMediaTicks;
    private long agentAudioBytesSinceSpeech;
    private long callerSpeechEndTicks;
    private long firstAgentMediaAfterSpeechTicks;
    private long speechOnsetTicks;
    private int sequence = 1, chunk; // start is "1"
    private readonly string streamSid = "MZ" + Guid.NewGuid().ToString("N");

    public string CallSid { get; private set; }
    public IReadOnlyDictionary<string, string> Parameters { get; private set; }
    public string StreamSid => streamSid;
    public long AgentAudioBytes { get; private set; }
    public List<TimeSpan> ClearLatencies { get; } = [];
    public int ClearsReceived { get; private set; }
    public int MarksEchoed { get; private set; }
    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;

    /// <summary>
    /// When set, every agent media message's arrival (Stopwatch timestamp) and audio length in bytes (8 per ms) is
    /// recorded here (pacing jitter: a message is due when the audio before it has played, whatever its length).
    /// </summary>
    public List<(long At, int Bytes)>? AgentMediaArrivals { get; set; }

    private SimulatedCall(ClientWebSocket socket, string callSid, IReadOnlyDictionary<string, string> parameters, bool connected = true)
    {
        this.socket = socket;
        callerSpeechEndTicks = Stopwatch.GetTimestamp(); // the greeting's latency counts from the stream start
        CallSid = callSid;
        Parameters = parameters;
        outbound = new OrderedSender(socket, stop.Token);
        if (connected) receiving = Task.Run(ReceiveLoopAsync);
    }

    public static async Task<SimulatedCall> DialAsync(HttpClient http, SimulatorOptions options, CancellationToken cancellationToken)
    {
        var callSid = "CA" + Guid.NewGuid().ToString("N");
        var webhook = new Uri(options.BaseUrl, "/twilio/webhook");
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = "AC" + new string('0', 32), ["ApiVersion"] = "2010-04-01", ["CallSid"] = callSid,
            ["CallStatus"] = "ringing", ["Direction"] = "inbound", ["From"] = options.From, ["To"] = options.To,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook) { Content = new FormUrlEncodedContent(form) };
        if (options.AuthToken is { Length: > 0 } token)
            request.Headers.Add("X-Twilio-Signature", TwilioRequestSigner.Sign(token, webhook.ToString(), form));
        using var response = await http.SendAsync(request, cancellationToken);
        var twiml = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST {webhook} answered {(int)response.StatusCode}: {twiml}");

        var stream = XDocument.Parse(twiml).Descendants("Stream").SingleOrDefault()
                     ?? throw new InvalidOperationException($"The TwiML has no <Connect><Stream>: {twiml}");
        var streamUrl = options.StreamUrl ?? new Uri((string)stream.Attribute("url")!);
        var parameters = stream.Elements("Parameter").ToDictionary(p => (string)p.Attribute("name")!, p => (string)p.Attribute("value")!);

        var socket = new ClientWebSocket();
        if (options.AuthToken is { Length: > 0 } streamToken)
            socket.Options.SetRequestHeader("X-Twilio-Signature", TwilioRequestSigner.Sign(streamToken, streamUrl.ToString(), []));
        // A plain-http deployment is reached over ws:// even though TwiML must say wss://.
        var connectUrl = options.BaseUrl.Scheme == "http" && streamUrl.Scheme == "wss" && options.StreamUrl is null
            ? new Uri(options.BaseUrl, streamUrl.PathAndQuery).ToString().Replace("http://", "ws://")
            : streamUrl.ToString();
        await socket.ConnectAsync(new Uri(connectUrl), cancellationToken);

        var call = new SimulatedCall(socket, callSid, parameters);
        call.Enqueue(JsonSerializer.SerializeToUtf8Bytes(new { @event = "connected", protocol = "Call", version = "1.0.0" }));
        call.Enqueue(JsonSerializer.SerializeToUtf8Bytes(new
        {
            @event = "start", sequenceNumber = "1", streamSid = call.streamSid,
            start = new
            {
                streamSid = call.streamSid, accountSid = form["AccountSid"], callSid, tracks = new[] { "inbound" },
                customParameters = parameters, mediaFormat = new { encoding = "audio/x-mulaw", sampleRate = 8000, channels = 1 },
            },
        }));
        // Twilio streams media only after start.
        call.StartCallerAudio(); // the call's own stop token ends it, not the dial's
        return call;
    }

    /// <summary>Streams one caller utterance in real time; returns when its last frame was sent.</summary>
    public async Task SayAsync(byte[] mulaw, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await callerAudio.Writer.WriteAsync(mulaw, cancellationToken);
        await callerAudio.Writer.WriteAsync([], cancellationToken); // end-of-utterance marker
        lock (playback) utteranceDone = done;
        await done.Task.WaitAsync(cancellationToken);
    }

    private TaskCompletionSource? utteranceDone;

    /// <summary>Sends a DTMF digit as Twilio does for a key press.</summary>
    public void PressKey(char digit) => EnqueueNumbered(sequenceNumber => JsonSerializer.SerializeToUtf8Bytes(new
    {
        @event = "dtmf", streamSid, sequenceNumber, dtmf = new { track = "inbound_track", digit = digit.ToString() },
    }));

    /// <summary>
    /// Waits for the agent's reply to the last utterance to finish playing: some audio arrived after the caller
    /// stopped, playback reached its end, and nothing new came for <paramref name="quiet"/>.
    /// </summary>
    public async Task<TurnTiming> WaitForAgentAsync(string callerLine, TimeSpan quiet, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Checked by the caller clock with every frame this call sends (OnClockTick), not by a poll of its own.
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (playback) agentWait = (finished, (long)(quiet.TotalSeconds * Stopwatch.Frequency));
        try
        {
            await finished.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException) { }
        finally
        {
            lock (playback) agentWait = null;
        }
        lock (playback) return Timing(callerLine);
    }

    private (TaskCompletionSource Finished, long QuietTicks)? agentWait;

    /// <summary>The awaited reply has finished playing: some audio arrived after the caller stopped, playback reached
    /// its end, and nothing new came for the quiet time. A closed socket ends the wait too.</summary>
    private void CompleteAgentWaitIfFinished(long now)
    {
        lock (playback)
        {
            if (agentWait is not { } wait) return;
            var heard = firstAgentMediaAfterSpeechTicks != 0;
            var finished = now >= playbackEndTicks && now - lastAgentMediaTicks >= wait.QuietTicks;
            if ((heard && finished) || socket.State != WebSocketState.Open) wait.Finished.TrySetResult();
        }
    }

    private TurnTiming Timing(string callerLine)
    {
        var latency = firstAgentMediaAfterSpeechTicks == 0 ? TimeSpan.MaxValue : Stopwatch.GetElapsedTime(callerSpeechEndTicks, firstAgentMediaAfterSpeechTicks);
        return new(callerLine, latency, TimeSpan.FromMilliseconds(agentAudioBytesSinceSpeech / 8.0));
    }

    /// <summary>True while agent audio is still "playing" on the simulated phone.</summary>
    public bool AgentIsSpeaking { get { lock (playback) return Stopwatch.GetTimestamp() < playbackEndTicks; } }

    public async Task HangUpAsync(CancellationToken cancellationToken)
    {
        EnqueueNumbered(sequenceNumber => JsonSerializer.SerializeToUtf8Bytes(new
        {
            @event = "stop", sequenceNumber, streamSid,
            stop = new { accountSid = "AC" + new string('0', 32), callSid = CallSid },
        }));
        await outbound.DrainAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        if (socket.State == WebSocketState.Open)
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "call ended", cancellationToken);
        await stop.CancelAsync();
    }

    /// <summary>Drops the TCP connection without a stop message, as a network failure would.</summary>
    public async Task DropAsync()
    {
        await stop.CancelAsync();
        socket.Abort();
    }

    private void Enqueue(byte[] message)
    {
        lock (sendOrder) outbound.Send(message);
    }

    /// <summary>
    /// Numbers and queues one media frame, formatted straight into a pooled buffer: fifty of these a second per call
    /// is most of what a load generator running hundreds of calls does, and garbage here means collector pauses
    /// that delay the simulated callers — delay the overhead figure would then count against the server.
    /// </summary>
    private void EnqueueMedia(ReadOnlySpan<byte> frame, int frameChunk, long timestamp)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(512 + Base64.GetMaxEncodedToUtf8Length(frame.Length) + streamSid.Length);
        lock (sendOrder)
        {
            var span = buffer.AsSpan();
            if (!Utf8.TryWrite(span, $"{{\"event\":\"media\",\"sequenceNumber\":\"{++sequence}\",\"streamSid\":\"{streamSid}\",\"media\":{{\"track\":\"inbound\",\"chunk\":\"{frameChunk}\",\"timestamp\":\"{timestamp}\",\"payload\":\"", out var written))
                throw new InvalidOperationException("media message buffer too small"); // sized above: cannot happen
            Base64.EncodeToUtf8(frame, span[written..], out _, out var encoded);
            written += encoded;
            "\"}}"u8.CopyTo(span[written..]);
            outbound.SendPooled(buffer, written + 3);
        }
    }

    /// <summary>Numbers and queues a message in one step, so sequence numbers go out in order.</summary>
    private void EnqueueNumbered(Func<string, byte[]> build)
    {
        lock (sendOrder) outbound.Send(build((++sequence).ToString()));
    }

    private void CompleteUtterance()
    {
        TaskCompletionSource? done;
        lock (playback)
        {
            callerSpeechEndTicks = Stopwatch.GetTimestamp();
            firstAgentMediaAfterSpeechTicks = 0;
            agentAudioBytesSinceSpeech = 0;
            done = utteranceDone;
            utteranceDone = null;
        }
        done?.TrySetResult();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), stop.Token); // the ValueTask overload: no allocation per message
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    // Twilio answers the server's close at once; a peer that does not is aborted after a grace time.
                    if (socket.State == WebSocketState.CloseReceived)
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "call ended", stop.Token);
                    break;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                Handle(message.GetBuffer().AsSpan(0, (int)message.Length));
                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException) { }
        finally
        {
            outbound.Close();
            Events.Writer.TryComplete();
        }
    }

    private void Handle(ReadOnlySpan<byte> json)
    {
        var message = ServerMessage.Read(json);
        var now = Stopwatch.GetTimestamp();
        if (recording && Record(message, json)) return; // driven by hand: kept, and marks echoed on arrival
        switch (message.Event)
        {
            case "media":
                var bytes = message.PayloadBytes;
                lock (playback)
                {
                    AgentAudioBytes += bytes;
                    AgentMediaArrivals?.Add((now, bytes));
                    agentAudioBytesSinceSpeech += bytes;
                    if (firstAgentMediaAfterSpeechTicks == 0 && callerSpeechEndTicks != 0) firstAgentMediaAfterSpeechTicks = now;
                    playbackEndTicks = Math.Max(playbackEndTicks, now) + bytes * Stopwatch.Frequency / 8000;
                    lastAgentMediaTicks = now;
                }
                break;
            case "mark" when message.MarkName is { } name:
                lock (playback) pendingMarks.Add((name, Math.Max(playbackEndTicks, now)));
                _ = EchoMarkWhenPlayedAsync(name);
                break;
            case "clear":
                lock (playback)
                {
                    ClearsReceived++;
                    if (speechOnsetTicks != 0) ClearLatencies.Add(Stopwatch.GetElapsedTime(speechOnsetTicks, now));
                    playbackEndTicks = now; // Twilio drops queued audio and returns every pending mark at once
                    foreach (var mark in pendingMarks) EchoMark(mark.Name);
                    pendingMarks.Clear();
                }
                break;
        }
    }

    private async Task EchoMarkWhenPlayedAsync(string name)
    {
        long playedAt;
        lock (playback) playedAt = pendingMarks.FirstOrDefault(m => m.Name == name).PlayedAtTicks;
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), playedAt);
        try
        {
            if (wait > TimeSpan.Zero) await Task.Delay(wait, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { return; }
        lock (playback)
        {
            var index = pendingMarks.FindIndex(m => m.Name == name);
            if (index < 0) return; // already returned by a clear
            pendingMarks.RemoveAt(index);
            EchoMark(name);
        }
    }

    private void EchoMark(string name)
    {
        MarksEchoed++;
        EnqueueNumbered(sequenceNumber => JsonSerializer.SerializeToUtf8Bytes(new { @event = "mark", sequenceNumber, streamSid, mark = new { name } }));
    }

    public async ValueTask DisposeAsync()
    {
        if (recording) await CloseGracefullyAsync();
        await stop.CancelAsync();
        outbound.Close();
        CallerClock.Shared.Remove(this);
        try { await receiving.WaitAsync(TimeSpan.FromSeconds(2)); } catch (Exception) { /* already stopping */ }
        socket.Dispose();
        stop.Dispose();
    }
}
