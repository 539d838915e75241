using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace EstateVoice.Server.Features.Voice.Providers.Deepgram;

/// <summary>
/// One caller's live Deepgram stream. Audio goes out as binary frames and is also kept in an
/// <see cref="UncoveredAudioBuffer"/> until a final result covers it; if the socket drops, a new one is opened,
/// that audio is replayed and the new socket's times are re-based onto the session clock, so no words are lost.
/// A first connection that fails for a passing reason (5xx, timeout, refused) starts the session disconnected: audio
/// is kept the same way and replayed once a background attempt gets through. Attempts back off (100 ms doubling, at
/// most 2 s apart) up to <see cref="DeepgramOptions.MaxReconnectAttempts"/>; a refusal (bad key) ends them at once.
/// The reader sees <see cref="SttConnectionLost"/>/<see cref="SttConnectionRestored"/> and decides what the caller hears.
/// A socket that stays open but stops answering is replaced the same way (see <see cref="DeepgramOptions.ResultsTimeout"/>
/// and <see cref="DeepgramOptions.ResultsTimeoutAfterSpeech"/>, measured in caller audio); the outage it starts lasts
/// until the new socket answers, so a provider whose every socket goes quiet ends in the reader's outage handling.
/// </summary>
internal sealed partial class DeepgramSttSession : ISpeechToTextSession
{
    private const int BytesPerSecond = 8000; // mu-law, 8 kHz, mono
    private const int MaxMessageBytes = 1 << 20;
    private const int ReplayChunkBytes = 8000;
    private static readonly ReadOnlyMemory<byte> KeepAliveMessage = Encoding.UTF8.GetBytes("""{"type":"KeepAlive"}""");
    private static readonly ReadOnlyMemory<byte> CloseStreamMessage = Encoding.UTF8.GetBytes("""{"type":"CloseStream"}""");
    private static readonly ReadOnlyMemory<byte> FinalizeMessage = Encoding.UTF8.GetBytes("""{"type":"Finalize"}""");

    private readonly Func<CancellationToken, Task<WebSocket>> _connect;
    private readonly DeepgramOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _callSid;
    // The reader (the STT stage) handles a result on the receiving thread: a final is on the turn's critical path.
    private readonly Channel<SttEvent> _events = Channel.CreateUnbounded<SttEvent>(new() { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly UncoveredAudioBuffer _audio;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Task _receiveLoop;
    private readonly Task _keepAliveLoop;

    // Guarded by _sendLock: the socket audio goes to, whether it is usable, and where its audio starts.
    private WebSocket? _socket;
    private bool _live;
    private long _connectionBaseBytes;
    private long _lastSendTimestamp;
    private volatile bool _completing;

    // Stall watch, in session audio bytes (audio time): audio sent so far (written under _sendLock), the audio sent
    // when the current socket last answered, messages received, and the caller's last end of speech with the message
    // count then (-1: none waiting for an answer).
    private long _sentBytes;
    private long _answeredAtBytes;
    private long _messages;
    private long _speechEndedAtBytes = -1;
    private long _messagesAtSpeechEnd;
    // Words the current socket heard that are not final yet (an interim with text since its last final): at the
    // caller's end of speech it is asked to finalise them (a Finalize goes with the next audio), and the audio sent
    // when that went out with the message count then (-1: no Finalize waiting for an answer).
    private volatile bool _wordsPending;
    private volatile bool _finalizeWanted;
    private long _finalizeSentAtBytes = -1;
    private long _messagesAtFinalize;
    // The current socket replaced a stalled one: the outage ends when it answers, not when it connects.
    private volatile bool _awaitingAnswer;
    // How long the caller had been waiting for an answer when the stall was found: the outage started then.
    private TimeSpan _stalledCallerWaiting;
    // The socket that just ended was given up by us for being quiet, not dropped by the server.
    private volatile bool _abandonedStalled;

    private DeepgramSttSession(WebSocket? socket, Func<CancellationToken, Task<WebSocket>> connect, DeepgramOptions options,
        TimeProvider time, ILogger logger, string callSid)
    {
        _socket = socket;
        _live = socket is not null;
        if (socket is null) _events.Writer.TryWrite(SttConnectionLost.Instance);
        _connect = connect;
        _options = options;
        _time = time;
        _logger = logger;
        _callSid = callSid;
        _audio = new UncoveredAudioBuffer((int)Math.Max(BytesPerSecond, options.ReplayBuffer.TotalSeconds * BytesPerSecond));
        _lastSendTimestamp = time.GetTimestamp();
        _receiveLoop = Task.Run(ReceiveLoopAsync);
        _keepAliveLoop = Task.Run(KeepAliveLoopAsync);
    }

    /// <summary>Reconnections performed so far (for logs and tests).</summary>
    public int Reconnects { get; private set; }

    // Reconnections after sockets that dropped on their own (stall replacements are ours): the "keeps dropping" cap.
    private int _drops;

    public static async Task<DeepgramSttSession> StartAsync(Func<CancellationToken, Task<WebSocket>> connect, DeepgramOptions options,
        TimeProvider time, ILogger logger, string callSid, CancellationToken cancellationToken)
    {
        WebSocket? socket = null;
        try
        {
            socket = await connect(cancellationToken);
        }
        catch (Exception ex) when (ex is not DeepgramRejectedException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Deepgram connect failed for call {CallSid}; retrying in the background, audio is kept", callSid);
        }
        return new DeepgramSttSession(socket, connect, options, time, logger, callSid);
    }

    public async ValueTask SendAudioAsync(ReadOnlyMemory<byte> mulaw, CancellationToken cancellationToken)
    {
        if (_completing || mulaw.IsEmpty) return;
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            lock (_audio) _audio.Append(mulaw.Span);
            var sent = _sentBytes + mulaw.Length;
            Volatile.Write(ref _sentBytes, sent);
            if (_live) await TrySendAsync(mulaw, WebSocketMessageType.Binary, cancellationToken);
            if (_live && _finalizeWanted) await SendFinalizeAsync(sent, cancellationToken);
            if (_live && StalledFor(sent) is { } unanswered) AbandonStalledSocket(unanswered);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public void CallerStoppedSpeaking()
    {
        Volatile.Write(ref _messagesAtSpeechEnd, Interlocked.Read(ref _messages));
        Volatile.Write(ref _speechEndedAtBytes, Volatile.Read(ref _sentBytes));
        if (_wordsPending) _finalizeWanted = true;
    }

    public IAsyncEnumerable<SttEvent> ReadEventsAsync(CancellationToken cancellationToken) => _events.Reader.ReadAllAsync(cancellationToken);

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (!_completing)
        {
            _completing = true;
            await _sendLock.WaitAsync(cancellationToken);
            try
            {
                if (_live) await TrySendAsync(CloseStreamMessage, WebSocketMessageType.Text, cancellationToken);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.CloseTimeout);
        try
        {
            await _receiveLoop.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Deepgram did not close the stream for call {CallSid} within {Timeout}", _callSid, _options.CloseTimeout);
            await _lifetime.CancelAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _completing = true;
        await _lifetime.CancelAsync();
        _socket?.Abort();
        await Task.WhenAll(_receiveLoop, _keepAliveLoop).ContinueWith(_ => { }, TaskScheduler.Default);
        _socket?.Dispose();
        lock (_audio) _audio.Dispose();
        _events.Writer.TryComplete();
        _lifetime.Dispose();
        _sendLock.Dispose();
    }

    /// <summary>Sends on the current socket; a failure marks it dead and the receive loop reconnects.</summary>
    private async Task TrySendAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        try
        {
            await _socket!.SendAsync(payload, type, endOfMessage: true, cancellationToken);
            _lastSendTimestamp = _time.GetTimestamp();
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _live = false;
            _logger.LogDebug(ex, "Deepgram send failed for call {CallSid}; audio is kept for replay", _callSid);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var token = _lifetime.Token;
        try
        {
            while (true)
            {
                // Only this loop replaces the socket, so reading it here needs no lock.
                if (_socket is { } socket)
                {
                    var closedNormally = await ReceiveUntilClosedAsync(socket, token);
                    if (closedNormally && _completing) break;
                    // Nothing left to flush, or a server that keeps dropping us: stop rather than loop forever.
                    if (_completing && NothingUncovered()) break;
                    var abandoned = _abandonedStalled;
                    _abandonedStalled = false;
                    if (!abandoned && ++_drops > _options.MaxReconnectsPerSession)
                    {
                        _events.Writer.TryWrite(new SttError("Speech recognition connection keeps dropping", Recoverable: false));
                        break;
                    }
                    if (!_completing)
                        _events.Writer.TryWrite(abandoned ? new SttConnectionLost(_stalledCallerWaiting) : SttConnectionLost.Instance);
                }
                else if (_completing && NothingUncovered())
                {
                    break;
                }
                if (!await ReconnectAsync(token)) break;
                // After a stall the new socket must answer first (Handle reports it): connecting proves little.
                if (!_completing && !_awaitingAnswer) _events.Writer.TryWrite(SttConnectionRestored.Instance);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Deepgram receive loop failed for call {CallSid}", _callSid);
            _events.Writer.TryWrite(new SttError("Speech recognition failed: " + ex.Message, Recoverable: false));
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    /// <returns>True when the server closed the socket with a close frame after we asked it to (CloseStream).</returns>
    private async Task<bool> ReceiveUntilClosedAsync(WebSocket socket, CancellationToken token)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        var connectionBase = TimeSpan.FromSeconds((double)Volatile.Read(ref _connectionBaseBytes) / BytesPerSecond);
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.GetMemory(4096), token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (socket.State == WebSocketState.CloseReceived)
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, token);
                    return _completing && socket.CloseStatus == WebSocketCloseStatus.NormalClosure;
                }
                buffer.Advance(result.Count);
                if (buffer.WrittenCount > MaxMessageBytes) throw new WebSocketException("Deepgram message too large");
                if (!result.EndOfMessage) continue;
                if (result.MessageType == WebSocketMessageType.Text) Handle(buffer.WrittenMemory, connectionBase);
                buffer.ResetWrittenCount();
            }
        }
        // An aborted socket fails its pending receive with OperationCanceledException("Aborted"), not a WebSocketException.
        catch (Exception ex) when (ex is WebSocketException or IOException or System.Text.Json.JsonException or OperationCanceledException
                                   && !token.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "Deepgram socket for call {CallSid} dropped", _callSid);
            return false;
        }
    }

    private void Handle(ReadOnlyMemory<byte> json, TimeSpan connectionBase)
    {
        // Any message (results, Metadata, an error) shows the socket is alive.
        Volatile.Write(ref _answeredAtBytes, Volatile.Read(ref _sentBytes));
        Interlocked.Increment(ref _messages);
        if (_awaitingAnswer)
        {
            _awaitingAnswer = false;
            if (!_completing) _events.Writer.TryWrite(SttConnectionRestored.Instance);
        }
        DeepgramLiveMessage message;
        try
        {
            message = DeepgramLiveMessage.Parse(json, connectionBase);
        }
        catch (System.Text.Json.JsonException ex)
        {
            _logger.LogWarning(ex, "Skipping malformed Deepgram message for call {CallSid}", _callSid);
            return;
        }
        if (message.FinalizedUpTo is { } end)
        {
            var coveredBytes = (long)Math.Round(connectionBase.TotalSeconds * BytesPerSecond + end * BytesPerSecond);
            lock (_audio) _audio.TrimTo(coveredBytes);
        }
        if (message.Event is SttTranscript transcript)
            _wordsPending = !transcript.IsFinal && (transcript.Text.Length > 0 || _wordsPending);
        if (message.Event is { } evt) _events.Writer.TryWrite(evt);
    }

    private bool NothingUncovered()
    {
        lock (_audio) return _audio.Count == 0;
    }

    private async Task KeepAliveLoopAsync()
    {
        var token = _lifetime.Token;
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(10).Ticks, _options.KeepAliveAfter.Ticks / 4));
        using var timer = new PeriodicTimer(period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(token))
            {
                if (_completing) return;
                if (_time.GetElapsedTime(Volatile.Read(ref _lastSendTimestamp)) < _options.KeepAliveAfter) continue;
                await _sendLock.WaitAsync(token);
                try
                {
                    if (_live && !_completing) await TrySendAsync(KeepAliveMessage, WebSocketMessageType.Text, token);
                }
                finally
                {
                    _sendLock.Release();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
