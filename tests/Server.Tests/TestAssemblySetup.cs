using System.Runtime.CompilerServices;

namespace EstateVoice.Server.Tests;

internal static class TestAssemblySetup
{
    /// <summary>
    /// In-process fakes, the app under test and the xunit runner share one thread pool on a 2-core machine; its
    /// default minimum (= cores) plus slow thread injection can stall timers for most of a second while a test
    /// starts. Timing tests (KeepAlive, pacing) need the pool responsive, as a server's would be in production.
    /// </summary>
    [ModuleInitializer]
    internal static void RaiseThreadPoolMinimum()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), Math.Max(io, 16));
    }
}
