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
    private readonly Queue<byte[]> queued = new();
    private readonly Lock gate = new();
    private bool inFlight, closed;
    private TaskCompletionSource? drained;

    /// <summary>Sends now, or after the messages queued before it. Callers number messages under their own lock.</summary>
    public void Send(byte[] message)
    {
        lock (gate)
        {
            if (closed) return;
            if (inFlight)
            {
                queued.Enqueue(message);
                return;
            }
            inFlight = true;
        }
        _ = SendInOrderAsync(message);
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
            queued.Clear();
        }
    }

    private async Task SendInOrderAsync(byte[] message)
    {
        try
        {
            while (true)
            {
                await socket.SendAsync(message, WebSocketMessageType.Text, true, stop).ConfigureAwait(false);
                lock (gate)
                {
                    if (!queued.TryDequeue(out message!))
                    {
                        Idle();
                        return;
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            lock (gate)
            {
                closed = true;
                queued.Clear();
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
