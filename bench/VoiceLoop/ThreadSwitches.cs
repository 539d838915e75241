namespace EstateVoice.Bench.VoiceLoop;

/// <summary>
/// Context switches of a process, summed over its live threads (Linux /proc). On this kind of virtual machine a
/// thread switch costs more than most of the work a frame needs, so switches per call-second are the figure that
/// says whether a change cut wake-ups, and unlike a latency tail it holds when the machine is busy.
/// </summary>
internal static class ThreadSwitches
{
    public static long Of(int pid)
    {
        long total = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                        if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                            total += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim());
                }
                catch (IOException) { } // the thread ended while being read
            }
        }
        catch (DirectoryNotFoundException) { } // not Linux, or the process is gone
        return total;
    }
}
