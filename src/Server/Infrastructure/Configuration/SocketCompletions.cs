using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace EstateVoice.Server.Infrastructure.Configuration;

/// <summary>
/// Runs the continuations of the voice loop's sockets — and only those — on the I/O thread that saw the socket
/// complete, instead of queueing each one to the thread pool. A voice turn crosses the network about ten times
/// (speech-to-text result, LLM request and stream, TTS request and stream), and on a small virtual machine every
/// queued continuation waits for a pool thread to wake: 0.3-1 ms at p95 each (measured here), which was most of the
/// voice loop's overhead (bench-voice at 200 calls, p95 20 ms queued against 9.4 ms inline).
/// </summary>
/// <remarks>
/// Session 3 set <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> for the whole process. That also put every
/// PostgreSQL reply and every API request's socket on those few I/O threads, and the CRM paid for it (bench-search
/// p95 393 ms with the switch, 157 without, issue 11). Now the process keeps the runtime's default and the voice
/// path's own sockets opt in one by one: the provider connections (<see cref="CreateHandler"/>: Deepgram live and
/// speak, Azure OpenAI) and the accepted media-stream socket (<see cref="RunInline"/>). The runtime has no public
/// per-socket switch yet; its internal one (<c>SafeSocketHandle.PreferInlineCompletions</c>, read on every socket
/// event) is set through an <see cref="UnsafeAccessorAttribute"/>. A runtime without it leaves the sockets on the
/// pool (slower voice, nothing breaks), and <c>SocketCompletionsTests</c> fails so an upgrade notices.
/// Code that continues after a voice socket's await runs on an I/O thread and must not block: SQLite work moves
/// itself to the pool (<see cref="Data.SqliteOffIoThread"/>); the rest is parsing and queueing frames.
/// An operator who sets DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS decides for every socket (1: all inline, as
/// before; 0: none).
/// </remarks>
public static class SocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
    private const string ThreadCountVariable = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    private static readonly bool OperatorDecides = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable));
    private static volatile bool _unavailable;

    /// <summary>
    /// Before the first socket: one I/O thread per core (the runtime starts one in all when nothing is inline), so the
    /// voice sockets' inline work is not confined to a single thread. Threads of sockets that are not inline only
    /// hand events to the pool.
    /// </summary>
    public static void Configure()
    {
        if (!OperatorDecides && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ThreadCountVariable)))
            Environment.SetEnvironmentVariable(ThreadCountVariable, Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Makes this socket's continuations run on its I/O thread; false when the runtime offers no such switch.</summary>
    public static bool RunInline(Socket socket)
    {
        if (OperatorDecides || _unavailable) return false;
        try
        {
            SetPreferInlineCompletions(socket.SafeHandle, true);
            return true;
        }
        catch (MissingMethodException)
        {
            _unavailable = true;
            return false;
        }
    }

    /// <summary>An HTTP handler (HttpClient, ClientWebSocket) whose connections run their continuations inline.</summary>
    public static SocketsHttpHandler CreateHandler() => new()
    {
        ConnectCallback = ConnectInlineAsync,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
        PooledConnectionLifetime = TimeSpan.FromMinutes(10), // DNS changes of a cloud endpoint are picked up
    };

    private static async ValueTask<Stream> ConnectInlineAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            RunInline(socket);
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_PreferInlineCompletions")]
    private static extern void SetPreferInlineCompletions(SafeSocketHandle handle, bool value);
}
