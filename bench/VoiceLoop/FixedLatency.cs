namespace EstateVoice.Bench.VoiceLoop;

/// <summary>The provider latencies the issue fixes, so what remains of a turn's delay is our own pipeline.</summary>
public sealed record FixedLatency(int SttFinalMs = 150, int LlmFirstTokenMs = 300, int TtsFirstByteMs = 100, int EndpointingMs = 300)
{
    public int ProviderTotalMs => SttFinalMs + LlmFirstTokenMs + TtsFirstByteMs;
}
