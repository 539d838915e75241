using System.Diagnostics;

namespace EstateVoice.Bench.VoiceLoop;

/// <summary>
/// The fake providers' fixed latencies, kept exact. <c>Task.Delay</c> fires on the runtime's timer thread and then
/// waits its turn in the thread pool, which on 2 busy cores made a "150 ms" answer 152-155 ms at p95 — delay that
/// the overhead figure then blamed on the server. One dedicated thread sleeps until the earliest due time and runs
/// the waiting continuation there at once (it only writes a message or a chunk, which never blocks).
/// </summary>
public static class ExactDelay
{
    private static readonly PriorityQueue<TaskCompletionSource, long> Due = new();
    private static readonly Lock Gate = new();
    private static readonly AutoResetEvent Changed = new(false);

    static ExactDelay()
    {
        new Thread(Run) { IsBackground = true, Name = "fake-provider-clock", Priority = ThreadPriority.Highest }.Start();
    }

    /// <summary>Completes <paramref name="milliseconds"/> after <paramref name="from"/> (a Stopwatch timestamp).</summary>
    public static Task Until(long from, int milliseconds, CancellationToken cancellationToken)
    {
        // Continuations run on the clock thread (no RunContinuationsAsynchronously): that is the point.
        var done = new TaskCompletionSource();
        var at = from + milliseconds * Stopwatch.Frequency / 1000;
        lock (Gate) Due.Enqueue(done, at);
        Changed.Set();
        return done.Task.WaitAsync(cancellationToken);
    }

    private static void Run()
    {
        while (true)
        {
            TaskCompletionSource? ready = null;
            long wait;
            lock (Gate)
            {
                if (Due.TryPeek(out var next, out var at))
                {
                    wait = at - Stopwatch.GetTimestamp();
                    if (wait <= 0) ready = Due.Dequeue();
                }
                else wait = Stopwatch.Frequency; // nothing due: check again in a second or when something is added
            }
            if (ready is not null)
            {
                ready.TrySetResult();
                continue;
            }
            Changed.WaitOne(TimeSpan.FromTicks(Math.Max(1, wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
        }
    }
}
