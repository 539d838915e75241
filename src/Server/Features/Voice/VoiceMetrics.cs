using System.Diagnostics.Metrics;

namespace EstateVoice.Server.Features.Voice;

/// <summary>Per-turn latency histograms (exported on /metrics once the meter is added to OpenTelemetry) and call counters.</summary>
public sealed class VoiceMetrics : IDisposable
{
    public const string MeterName = "EstateVoice.Voice";
    private readonly Meter _meter;
    private readonly Histogram<double> _stt;
    private readonly Histogram<double> _llm;
    private readonly Histogram<double> _tts;
    private readonly Histogram<double> _firstAudio;
    private readonly Counter<long> _calls;
    private readonly Counter<long> _interruptions;
    private readonly Counter<long> _failures;
    private readonly UpDownCounter<long> _active;

    public VoiceMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _stt = _meter.CreateHistogram<double>("voice.turn.stt_latency", "ms", "Caller end of speech to final transcript");
        _llm = _meter.CreateHistogram<double>("voice.turn.llm_first_token", "ms", "Caller end of speech to the agent's first token");
        _tts = _meter.CreateHistogram<double>("voice.turn.tts_first_byte", "ms", "Caller end of speech to the first synthesised audio");
        _firstAudio = _meter.CreateHistogram<double>("voice.turn.first_audio", "ms", "Caller end of speech to the first audio frame sent (the silence heard)");
        _calls = _meter.CreateCounter<long>("voice.calls", description: "Media stream sessions started");
        _interruptions = _meter.CreateCounter<long>("voice.interruptions", description: "Agent turns cut short by the caller");
        _failures = _meter.CreateCounter<long>("voice.provider_failures", description: "STT/LLM/TTS failures");
        // What the Kubernetes HPA scales on (Prometheus: voice_calls_active): calls this node carries right now.
        _active = _meter.CreateUpDownCounter<long>("voice.calls.active", description: "Media stream sessions in progress on this node");
    }

    public void CallStarted()
    {
        _calls.Add(1);
        _active.Add(1);
    }

    /// <summary>The end of a call <see cref="CallStarted"/> counted (its session has finished with it).</summary>
    public void CallEnded() => _active.Add(-1);

    public void ProviderFailed(string source) => _failures.Add(1, new KeyValuePair<string, object?>("source", source));

    public void AgentTurn(AgentTurnRecord turn)
    {
        if (turn.Interrupted) _interruptions.Add(1);
        if (turn.SttLatency is { } s) _stt.Record(s.TotalMilliseconds);
        if (turn.LlmFirstToken is { } l) _llm.Record(l.TotalMilliseconds);
        if (turn.TtsFirstByte is { } t) _tts.Record(t.TotalMilliseconds);
        if (turn.FirstAudio is { } f) _firstAudio.Record(f.TotalMilliseconds);
    }

    public void Dispose() => _meter.Dispose();
}
