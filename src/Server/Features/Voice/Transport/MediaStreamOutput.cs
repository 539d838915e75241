using System.Net.WebSockets;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice.Transport;

/// <summary>
/// The output transport: what the paced sender (<see cref="Stages.OutputStage"/>) and the recorder's live words send
/// goes to the call's WebSocket as text messages encoded by the stream's <see cref="IFrameSerializer"/>. Media is
/// encoded into one reusable buffer (no allocation per 20 ms frame). Sends are serialised: the paced sender and
/// barge-in's <c>clear</c> share the socket. Once the socket is closing or gone (the caller hung up, left the page,
/// the network dropped), sends are dropped instead of thrown: the input transport notices the end of the call and
/// the host ends it; a send that fails because the peer left is not a fault of the stage that sent it.
/// </summary>
public sealed class MediaStreamOutput : IMediaStreamSink
{
    private readonly WebSocket _socket;
    private readonly IFrameSerializer _serializer;
    private readonly byte[] _buffer;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private volatile bool _closed;
    private Recording.CallAudioTap? _recording;

    public MediaStreamOutput(WebSocket socket, IFrameSerializer serializer, string streamSid, int maxAudioBytes = 4 * MuLaw.FrameBytes)
    {
        _socket = socket;
        _serializer = serializer;
        serializer.UseStream(streamSid);
        _buffer = new byte[serializer.MaxMediaMessageBytes(maxAudioBytes)];
    }

    /// <summary>True once the socket is closing or gone, or <see cref="Close"/> was called: nothing more is sent.</summary>
    public bool IsClosed => _closed || _socket.State != WebSocketState.Open;

    /// <summary>The call's recording: audio sent and <c>clear</c>s are copied to it (an observer; null records nothing).</summary>
    public void RecordTo(Recording.CallAudioTap? tap) => _recording = tap;

    /// <summary>The call is ending: from now on every send is dropped.</summary>
    public void Close() => _closed = true;

    public async ValueTask SendMediaAsync(ReadOnlyMemory<byte> mulaw, CancellationToken cancellationToken)
    {
        if (IsClosed) return;
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var length = _serializer.WriteMedia(mulaw.Span, _buffer);
            await SendAsync(_buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            // What reached the socket is what the caller's player queues (a send dropped for a gone peer is not).
            if (!_closed) _recording?.Agent(mulaw.Span);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public ValueTask SendMarkAsync(string name, CancellationToken cancellationToken) =>
        IsClosed ? ValueTask.CompletedTask : SendLockedAsync(_serializer.Mark(name), cancellationToken);

    public ValueTask SendClearAsync(CancellationToken cancellationToken)
    {
        if (IsClosed) return ValueTask.CompletedTask;
        _recording?.Clear(); // the far end's queue is emptied now: what it held was never heard
        return SendLockedAsync(_serializer.Clear(), cancellationToken);
    }

    public ValueTask SendTranscriptAsync(string speaker, string text, bool isFinal, CancellationToken cancellationToken) =>
        IsClosed || _serializer.Transcript(speaker, text, isFinal) is not { } message
            ? ValueTask.CompletedTask
            : SendLockedAsync(message, cancellationToken);

    private async ValueTask SendLockedAsync(byte[] message, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        if (IsClosed) return;
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException
                                   || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The peer went away mid-send (an aborted connection surfaces as a cancellation nobody asked for).
            _closed = true;
        }
    }
}
