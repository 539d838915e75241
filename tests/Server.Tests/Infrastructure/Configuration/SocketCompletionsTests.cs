using System.Net;
using System.Net.Sockets;
using EstateVoice.Server.Infrastructure.Configuration;

namespace EstateVoice.Server.Tests.Infrastructure.Configuration;

/// <summary>
/// The voice path's sockets continue on their I/O thread while the rest of the process keeps the runtime's default
/// (the test process runs without DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS). Fails when a runtime upgrade removes
/// the internal per-socket switch.
/// </summary>
public sealed class SocketCompletionsTests
{
    [Fact]
    public async Task A_socket_opted_in_continues_on_its_io_thread_and_others_on_the_pool()
    {
        Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable(SocketCompletions.Variable)), "run the tests without the process-wide switch");
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();

        Assert.True(await ContinuesOnPoolAsync(listener, inline: false));
        Assert.False(await ContinuesOnPoolAsync(listener, inline: true), "the opted-in socket's receive continued on a pool thread");
    }

    private static async Task<bool> ContinuesOnPoolAsync(Socket listener, bool inline)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (inline) Assert.True(SocketCompletions.RunInline(client));
        await client.ConnectAsync(listener.LocalEndPoint!);
        using var server = await listener.AcceptAsync();
        var receive = Task.Run(async () =>
        {
            await client.ReceiveAsync(new byte[1]);
            return Thread.CurrentThread.IsThreadPoolThread;
        });
        await Task.Delay(50);
        await server.SendAsync(new byte[] { 1 });
        return await receive.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
