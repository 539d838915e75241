namespace EstateVoice.Bench.VoiceLoop;

/// <summary>The provider latencies the issue fixes, so what remains of a turn's delay is our own pipeline.</summary>
public sealed record FixedLatency(int SttFinalMs = 150, int LlmFirstTokenMs = 300, int TtsFirstByteMs = 100, int EndpointingMs = 300)
{
    /// <summary>Audio the server sends ahead of real time (Voice:PacingLeadMs): a reply's first frames leave back to back.</summary>
    public const int PacingLeadMs = 60;

    public int ProviderTotalMs => SttFinalMs + LlmFirstTokenMs + TtsFirstByteMs;
}

/// <summary>
/// How late each fake provider actually answered (measured delay − its fixed latency), per step. Late answers are
/// the load generator's own scheduling delay on the shared cores, reported so the overhead figure can be read with it.
/// </summary>
public static class ProviderLateness
{
    public static readonly System.Collections.Concurrent.ConcurrentQueue<double> Stt = new(), Llm = new(), Tts = new();

    public static void Record(System.Collections.Concurrent.ConcurrentQueue<double> queue, long since, int fixedMs) =>
        queue.Enqueue(System.Diagnostics.Stopwatch.GetElapsedTime(since).TotalMilliseconds - fixedMs);

    public static void Clear()
    {
        Stt.Clear();
        Llm.Clear();
        Tts.Clear();
    }
}
