using System.Buffers.Text;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace EstateVoice.Server.Features.Voice.Twilio;

/// <summary>
/// Writes the server side of the Media Streams protocol to a WebSocket as JSON text frames. Media messages are
/// built into one reusable buffer (prefix with the streamSid precomputed, base64 encoded in place), so the
/// 50-per-second path allocates nothing. Sends are serialised: the paced sender and barge-in's <c>clear</c> share the socket.
/// Once the call's socket is closing or gone (the caller hung up, left the page, the network dropped), sends are
/// dropped instead of thrown: the session's receive loop notices the end of the call and ends it; a send that fails
/// because the peer left is not a fault of the stage that sent it.
/// </summary>
public sealed class MediaStreamWriter : IMediaStreamSink
{
    private readonly WebSocket _socket;
    private readonly string _streamSid;
    private readonly byte[] _mediaPrefix;
    private static readonly byte[] MediaSuffix = "\"}}"u8.ToArray();
    private readonly byte[] _buffer;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private volatile bool _closed;

    public MediaStreamWriter(WebSocket socket, string streamSid, int maxAudioBytes = 4 * MuLaw.FrameBytes)
    {
        _socket = socket;
        _streamSid = streamSid;
        _mediaPrefix = Encoding.UTF8.GetBytes($"{{\"event\":\"media\",\"streamSid\":{JsonSerializer.Serialize(streamSid)},\"media\":{{\"payload\":\"");
        _buffer = new byte[_mediaPrefix.Length + Base64.GetMaxEncodedToUtf8Length(maxAudioBytes) + MediaSuffix.Length];
    }

    /// <summary>True once the socket is closing or gone, or <see cref="Close"/> was called: nothing more is sent.</summary>
    public bool IsClosed => _closed || _socket.State != WebSocketState.Open;

    /// <summary>The call is ending: from now on every send is dropped.</summary>
    public void Close() => _closed = true;

    public async ValueTask SendMediaAsync(ReadOnlyMemory<byte> mulaw, CancellationToken cancellationToken)
    {
        if (IsClosed) return;
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var length = Format(mulaw.Span);
            await SendAsync(_buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
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

    private int Format(ReadOnlySpan<byte> mulaw)
    {
        var span = _buffer.AsSpan();
        _mediaPrefix.CopyTo(span);
        var position = _mediaPrefix.Length;
        Base64.EncodeToUtf8(mulaw, span[position..], out _, out var written);
        position += written;
        MediaSuffix.CopyTo(span[position..]);
        return position + MediaSuffix.Length;
    }

    public ValueTask SendMarkAsync(string name, CancellationToken cancellationToken) =>
        SendJsonAsync(new { @event = "mark", streamSid = _streamSid, mark = new { name } }, cancellationToken);

    public ValueTask SendClearAsync(CancellationToken cancellationToken) =>
        SendJsonAsync(new { @event = "clear", streamSid = _streamSid }, cancellationToken);

    public ValueTask SendTranscriptAsync(string speaker, string text, bool isFinal, CancellationToken cancellationToken) =>
        IncludeTranscripts
            ? SendJsonAsync(new { @event = "transcript", speaker, text, is_final = isFinal }, cancellationToken)
            : ValueTask.CompletedTask;

    /// <summary>Browser test calls get <c>transcript</c> events; Twilio does not.</summary>
    public bool IncludeTranscripts { get; init; }

    private async ValueTask SendJsonAsync<T>(T message, CancellationToken cancellationToken)
    {
        if (IsClosed) return;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SendAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
