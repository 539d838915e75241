using System.Diagnostics;

namespace EstateVoice.CallSimulator;

/// <summary>
/// One thread that paces every simulated caller in the process: each millisecond it lets each call send the audio
/// frames that have come due (every call keeps its own 20 ms phase, as independent phones do). A timer per call cost
/// a thread-pool wake-up per frame per call — 25,000 a second at 500 calls, most of the load generator's context
/// switches, on the very cores the server under test runs on; this costs 1,000 a second however many calls run.
/// </summary>
internal sealed class CallerClock
{
    public static CallerClock Shared { get; } = new();

    private readonly Lock gate = new();
    private readonly List<SimulatedCall> calls = [];
    private SimulatedCall[] snapshot = [];
    private Thread? thread;

    public void Add(SimulatedCall call)
    {
        lock (gate)
        {
            calls.Add(call);
            snapshot = [.. calls];
            if (thread is not null) return;
            // The load generator's heartbeat: not a thread-pool thread, so a busy pool never delays a frame.
            thread = new Thread(Run) { IsBackground = true, Name = "caller-clock", Priority = ThreadPriority.AboveNormal };
            thread.Start();
        }
    }

    public void Remove(SimulatedCall call)
    {
        lock (gate)
        {
            if (calls.Remove(call)) snapshot = [.. calls];
        }
    }

    private void Run()
    {
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var call in Volatile.Read(ref snapshot)) call.OnClockTick(now);
            Thread.Sleep(1);
        }
    }
}
