using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using EstateVoice.Server.Features.Voice.Pipeline;

namespace EstateVoice.Server.Features.Voice.Transport;

/// <summary>
/// The input transport, the pipeline's first stage (Pipecat's websocket input transport): reads the call's WebSocket,
/// decodes each message with the stream's <see cref="IFrameSerializer"/> and pushes the frames downstream — caller
/// audio, marks echoed, keys, typed words. The stream's <c>start</c> goes to the host, which admits it (and links
/// this stage at the head of the call's pipeline) or refuses it; <c>stop</c> or the socket closing ends the loop.
/// Malformed and out-of-order messages are logged and skipped; media before <c>start</c>, a wrong codec or an
/// oversized message close the socket cleanly (the host has then admitted nothing).
/// <para>
/// The caller's audio is the barge-in policy's clock. When it stops coming (Twilio stalls, a browser's microphone
/// stops), a <see cref="CallerAudioGapFrame"/> goes down once <see cref="GapStart"/> has passed without audio and
/// then every <see cref="GapTick"/> (up to <see cref="GapTickLimit"/>), so a reply paused by the caller's sound is still
/// resumed or interrupted. The start is well past network jitter: a gap ends the caller's voice, and 100-200 ms
/// hiccups in a live stream (or a loaded test machine) must not cut a caller's words in two.
/// </para>
/// </summary>
public sealed partial class MediaStreamInput : FrameProcessor
{
    public const int MaxMessageBytes = 16 * 1024;

    /// <summary>Silence on the socket after which the first gap tick goes down.</summary>
    public static readonly TimeSpan GapStart = TimeSpan.FromMilliseconds(400);

    /// <summary>The period of the gap ticks once they have started.</summary>
    public static readonly TimeSpan GapTick = TimeSpan.FromMilliseconds(100);

    /// <summary>Past this much silence nothing is left for the ticks to decide (every barge-in timing is shorter).</summary>
    public static readonly TimeSpan GapTickLimit = TimeSpan.FromSeconds(3);

    private readonly WebSocket _socket;
    private readonly IFrameSerializer _serializer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    // Orders the audio and the gap ticks: a tick goes down only if no audio did since it was due.
    private readonly SemaphoreSlim _pushLock = new(1, 1);
    private readonly ITimer _gapTimer;
    private long _lastAudioAt;
    // The gap timer is one-shot and armed by the first audio frame after it stopped, not re-armed by every frame
    // (50 a second per call); a tick that finds recent audio arms it again for the rest of GapStart. Under _pushLock.
    private bool _gapArmed;
    private CallClock? _clock;
    private CancellationToken _lifetime;
    private Recording.CallAudioTap? _recording;
    private int _disposed;

    public MediaStreamInput(WebSocket socket, IFrameSerializer serializer, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _serializer = serializer;
        _time = time;
        _logger = logger;
        _gapTimer = time.CreateTimer(static s => _ = ((MediaStreamInput)s!).TickAsync(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The call's recording: every caller frame is copied to it as it goes down (an observer; null records nothing).</summary>
    public void RecordTo(Recording.CallAudioTap? tap) => Volatile.Write(ref _recording, tap);

    public override Task StartAsync(CancellationToken lifetime)
    {
        _lifetime = lifetime;
        return base.StartAsync(lifetime);
    }

    /// <summary>
    /// Reads the stream until it ends, and says why it ended. <paramref name="admit"/> gets the stream's start and
    /// returns the call's clock once the call runs (this stage at its pipeline's head), or null to refuse it.
    /// <paramref name="token"/> stops the admission and the frames, never the socket read (a cancelled read aborts a
    /// WebSocket: no close frame): once it is cancelled, messages are read and dropped until the peer's close — the
    /// answer to the host's, sent when the call has ended — or the socket fails. A socket failing surfaces as an
    /// exception, for the host to judge.
    /// </summary>
    public async Task<string> ReceiveAsync(Func<StreamStart, CancellationToken, ValueTask<CallClock?>> admit, CancellationToken token)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(MaxMessageBytes);
        try
        {
            return await ReceiveLoopAsync(buffer, admit, token).ConfigureAwait(false);
        }
        finally
        {
            // Nothing more comes in: no tick is needed for a call that is ending.
            _gapTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<string> ReceiveLoopAsync(byte[] buffer, Func<StreamStart, CancellationToken, ValueTask<CallClock?>> admit, CancellationToken token)
    {
        // CloseSent: the host has closed its side; read on until the peer answers with its close.
        while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                    return await RefuseAsync(WebSocketCloseStatus.MessageTooBig, "message too large").ConfigureAwait(false);
                result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                    return _clock is null ? "closed before start" : "socket closed";
                length += result.Count;
            } while (!result.EndOfMessage);

            if (token.IsCancellationRequested) continue; // the call is ending: nothing more goes down the pipeline
            if (result.MessageType != WebSocketMessageType.Text)
            {
                LogSkipped("binary frame");
                continue;
            }
            try
            {
                if (await HandleAsync(_serializer.Deserialize(buffer.AsSpan(0, length)), admit, token).ConfigureAwait(false) is { } ended)
                    return ended;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // The call began ending while this message went down: read on until the close.
            }
        }
        return "socket dropped";
    }

    /// <summary>One decoded message: its frames go down, or the stream ends (the reason; null goes on reading).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<string?> HandleAsync(InputMessage message, Func<StreamStart, CancellationToken, ValueTask<CallClock?>> admit, CancellationToken token)
    {
        switch (message.Kind)
        {
            case InputKind.Skip:
                LogSkipped(message.Skipped ?? "malformed");
                break;
            case InputKind.Connected:
                break;
            case InputKind.Start or InputKind.UnsupportedFormat when _clock is not null:
                LogSkipped("second start");
                break;
            case InputKind.UnsupportedFormat:
                return await RefuseAsync(WebSocketCloseStatus.InvalidPayloadData, "unsupported media format").ConfigureAwait(false);
            case InputKind.Start:
                _clock = await admit(message.Start!, token).ConfigureAwait(false);
                if (_clock is null) return await RefuseAsync(WebSocketCloseStatus.PolicyViolation, "stream refused").ConfigureAwait(false);
                break;
            case InputKind.Audio when _clock is null:
                return await RefuseAsync(WebSocketCloseStatus.PolicyViolation, "media before start").ConfigureAwait(false);
            case InputKind.Audio:
                if (message.Frame is InputAudioFrame audio) await PushAudioAsync(audio, _clock, token).ConfigureAwait(false);
                break;
            case InputKind.Stop:
                return "stop";
            case InputKind.Frame or InputKind.Text when _clock is null:
                LogSkipped(message.Kind + " before start");
                break;
            case InputKind.Frame:
                await PushFrameAsync(message.Frame!).ConfigureAwait(false);
                break;
            case InputKind.Text:
                // Typed words have no audio: they are stamped "now" on the caller's audio timeline, as speech would be.
                var offset = _clock.NowOnAudio;
                await PushFrameAsync(new TranscriptionFrame(message.Text!, true, true, offset, offset)).ConfigureAwait(false);
                break;
        }
        return null;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask PushAudioAsync(InputAudioFrame audio, CallClock clock, CancellationToken token)
    {
        // Uncontended (no tick due) this completes synchronously and allocates nothing.
        await _pushLock.WaitAsync(token).ConfigureAwait(false);
        try
        {
            _lastAudioAt = _time.GetTimestamp();
            clock.AudioReceived(audio.Offset);
            _recording?.Caller(audio.Mulaw.Span, audio.Offset);
            if (!_gapArmed)
            {
                _gapArmed = true;
                _gapTimer.Change(GapStart, Timeout.InfiniteTimeSpan);
            }
            await PushFrameAsync(audio).ConfigureAwait(false);
        }
        finally
        {
            _pushLock.Release();
        }
    }

    /// <summary>The gap timer: no audio for a while (re-armed by every audio frame), so time goes down without it.</summary>
    private async Task TickAsync()
    {
        if (Volatile.Read(ref _disposed) == 1) return;
        try
        {
            await _pushLock.WaitAsync(_lifetime).ConfigureAwait(false);
            try
            {
                var silentFor = _time.GetElapsedTime(_lastAudioAt);
                if (silentFor < GapStart)
                {
                    _gapTimer.Change(GapStart - silentFor, Timeout.InfiniteTimeSpan); // audio came in meanwhile
                    return;
                }
                if (silentFor > GapTickLimit)
                {
                    _gapArmed = false; // the next audio frame arms it again
                    return;
                }
                _gapTimer.Change(GapTick, Timeout.InfiniteTimeSpan);
                await PushFrameAsync(new CallerAudioGapFrame(silentFor)).ConfigureAwait(false);
            }
            finally
            {
                _pushLock.Release();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // The call is ending.
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "A caller-audio gap tick failed");
        }
    }

    private async Task<string> RefuseAsync(WebSocketCloseStatus status, string reason)
    {
        LogClosing(reason);
        await CloseAsync(status, reason).ConfigureAwait(false);
        return reason;
    }

    /// <summary>Closes the socket's sending side with <paramref name="reason"/> (bounded; a socket already closing or gone is left alone).</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _socket.CloseOutputAsync(status, reason.Length > 120 ? reason[..120] : reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            LogSocketError(ex.Message);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _disposed, 1);
        await _gapTimer.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream message skipped: {Reason}")]
    private partial void LogSkipped(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing media stream: {Reason}")]
    private partial void LogClosing(string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Media stream socket error: {Message}")]
    private partial void LogSocketError(string message);
}
