using System.Net;
using System.Net.Sockets;

namespace EstateVoice.Server.Tests.Infrastructure;

/// <summary>
/// A TCP proxy on loopback in front of a real server (Azurite), for faults a stopped server cannot play: while
/// <see cref="CutAfterBytes"/> is set, a connection that has carried that many bytes towards the server is reset on
/// both sides part-way through what it was sending — the server got the start of the request (a blob upload's first
/// bytes), the client a reset connection. Unset, bytes pass through untouched.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int targetPort;
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;
    private long cutAfter = -1;
    private int cuts;

    public FaultProxy(int targetPort)
    {
        this.targetPort = targetPort;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Connections reset so far.</summary>
    public int Cuts => Volatile.Read(ref cuts);

    public long? CutAfterBytes
    {
        get => Interlocked.Read(ref cutAfter) is var v && v >= 0 ? v : null;
        set => Interlocked.Exchange(ref cutAfter, value ?? -1);
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket client;
            try { client = await listener.AcceptSocketAsync(stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var _ = client;
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, targetPort, stop.Token);
            using var done = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            var towardsServer = PumpAsync(client, server, client, countTowardsCut: true, done.Token);
            var towardsClient = PumpAsync(server, client, client, countTowardsCut: false, done.Token);
            await Task.WhenAny(towardsServer, towardsClient);
            await done.CancelAsync();
            await Task.WhenAll(towardsServer, towardsClient);
        }
        catch (Exception)
        {
            // The server is down or a side went away: the connection just ends, as it would without the proxy.
        }
    }

    private async Task PumpAsync(Socket from, Socket to, Socket client, bool countTowardsCut, CancellationToken token)
    {
        var buffer = new byte[8192];
        long carried = 0;
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, token);
                if (n == 0) return;
                if (countTowardsCut && CutAfterBytes is { } cut && carried + n >= cut)
                {
                    var allowed = (int)Math.Max(0, cut - carried);
                    if (allowed > 0) await to.SendAsync(buffer.AsMemory(0, allowed), token);
                    Interlocked.Increment(ref cuts);
                    // RST both ways (no FIN): the server sees a request that breaks off, the client a reset.
                    foreach (var socket in new[] { client, to })
                    {
                        socket.LingerState = new LingerOption(true, 0);
                        socket.Close();
                    }
                    return;
                }
                carried += n;
                await to.SendAsync(buffer.AsMemory(0, n), token);
            }
        }
        catch (Exception)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }
}
