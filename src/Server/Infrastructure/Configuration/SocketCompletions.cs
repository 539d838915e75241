namespace EstateVoice.Server.Infrastructure.Configuration;

/// <summary>
/// Runs socket continuations on the I/O thread that saw the socket complete, instead of queueing each one to the
/// thread pool. A voice turn crosses the network about ten times (speech-to-text result, LLM request and stream,
/// TTS request and stream), and on a small virtual machine every queued continuation waits for a pool thread to
/// wake: 0.3-1 ms at p95 each (measured here), which was most of the voice loop's overhead — bench-voice at 200 calls,
/// overhead p95 20 ms with queued continuations against 9.4 ms inline, at less CPU.
/// </summary>
/// <remarks>
/// Code that continues after a socket await therefore runs on one of a few I/O threads and must not block them:
/// SQLite work, synchronous under its async API, moves itself to the pool first (<see cref="Data.SqliteOffIoThread"/>);
/// everything else that follows a provider's socket is short (parsing, queueing a frame). Kestrel still hands
/// requests to the pool (its own scheduling is unchanged), so API handlers are not affected. The runtime reads the
/// switch once, when the first socket is used, so it is set before anything else runs; an operator who sets
/// DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0 keeps the runtime's default.
/// </remarks>
public static class SocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void RunInlineUnlessConfigured()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
            Environment.SetEnvironmentVariable(Variable, "1");
    }
}
