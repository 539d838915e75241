using System.Buffers;
using System.Net.WebSockets;

namespace EstateVoice.CallSimulator;

/// <summary>
/// Sends text messages on one WebSocket in the order they were queued. A send starts on the thread that queued it,
/// and the usual synchronous completion costs no hop through the thread pool; only when the socket is busy do later
/// messages wait in a queue, drained by the send in flight. (A send loop reading a channel cost one extra
/// thread-pool work item per 20 ms frame per call: with hundreds of simulated calls on a small machine, that was
/// load on the very cores the server under test runs on.)
/// </summary>
internal sealed class OrderedSender(WebSocket socket, CancellationToken stop)
{
    // A message, and the pooled buffer behind it to give back once it is on the wire (null when it is not pooled).
    private readonly Queue<(ReadOnlyMemory<byte> Message, byte[]? Pooled)> queued = new();
    private readonly Lock gate = new();
    private bool inFlight, closed;
    private TaskCompletionSource? drained;

    /// <summary>Sends now, or after the messages queued before it. Callers number messages under their own lock.</summary>
    public void Send(byte[] message) => Send(message, pooled: null);

    /// <summary>Sends <paramref name="length"/> bytes of a buffer rented from <see cref="ArrayPool{T}.Shared"/>, and returns it after.</summary>
    public void SendPooled(byte[] buffer, int length) => Send(buffer.AsMemory(0, length), buffer);

    private void Send(ReadOnlyMemory<byte> message, byte[]? pooled)
    {
        lock (gate)
        {
            if (closed)
            {
                if (pooled is not null) ArrayPool<byte>.Shared.Return(pooled);
                return;
            }
            if (inFlight)
            {
                queued.Enqueue((message, pooled));
                return;
            }
            inFlight = true;
        }
        _ = SendInOrderAsync(message, pooled);
    }

    /// <summary>Completes once everything queued so far is on the wire (or the socket has failed).</summary>
    public Task DrainAsync()
    {
        lock (gate)
            return inFlight ? (drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task : Task.CompletedTask;
    }

    /// <summary>Drops what is queued and refuses new messages (the socket is gone).</summary>
    public void Close()
    {
        lock (gate)
        {
            closed = true;
            ReturnQueued();
        }
    }

    private void ReturnQueued()
    {
        while (queued.TryDequeue(out var item))
            if (item.Pooled is not null) ArrayPool<byte>.Shared.Return(item.Pooled);
    }

    private async Task SendInOrderAsync(ReadOnlyMemory<byte> message, byte[]? pooled)
    {
        try
        {
            while (true)
            {
                try
                {
                    await socket.SendAsync(message, WebSocketMessageType.Text, true, stop).ConfigureAwait(false);
                }
                finally
                {
                    if (pooled is not null) ArrayPool<byte>.Shared.Return(pooled);
                }
                lock (gate)
                {
                    if (!queued.TryDequeue(out var next))
                    {
                        Idle();
                        return;
                    }
                    (message, pooled) = next;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            lock (gate)
            {
                closed = true;
                ReturnQueued();
                Idle();
            }
        }
    }

    private void Idle()
    {
        inFlight = false;
        drained?.TrySetResult();
        drained = null;
    }
}
