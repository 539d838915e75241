using EstateVoice.Server.Features.Voice.Pipeline;
using EstateVoice.Server.Features.Voice.Providers;
using EstateVoice.Server.Features.Voice.Stages;
using EstateVoice.Server.Features.Voice.Tools;
using EstateVoice.Server.Features.Voice.Twilio;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Voice;

/// <summary>Builds one call's pipeline: VAD → STT → barge-in → turn aggregator → idle monitor → agent → splitter → TTS → paced sender.</summary>
public sealed class CallPipelineFactory(
    ISpeechToText stt,
    ITextToSpeech tts,
    TextToSpeechFallback ttsFallback,
    IChatClient chat,
    IAgentDataStore data,
    IOptions<VoiceOptions> options,
    TimeProvider time,
    ILoggerFactory loggers)
{
    public VoiceOptions Options => options.Value;

    public CallPipeline Create(AgentCallContext call, string callSid, IMediaStreamSink sink, ICallObserver observer, CallClock clock)
    {
        var o = options.Value;
        var vad = new VadStage(o);
        var sttStage = new SttStage(stt, new Providers.SpeechToTextOptions(callSid, EndpointingMs: o.SilenceMs), o, time, loggers.CreateLogger<SttStage>());
        var llm = new LlmStage(chat, new AgentTools(data, call, time).Create(), call, o, time, observer,
            loggers.CreateLogger<LlmStage>(), AgentPrompt.Build(o, time.GetLocalNow()));
        var output = new OutputStage(sink, observer, clock, o);
        var pipeline = new VoicePipeline(
        [
            vad,
            sttStage,
            new BargeInStage(new BargeInPolicy(BargeInPolicy.Timing.From(o))),
            new UserTurnAggregator(o, time, observer),
            new IdleMonitor(o, time),
            llm,
            new SentenceSplitter(),
            new TtsStage(tts, ttsFallback.Voice, o, time, loggers.CreateLogger<TtsStage>()),
            output,
        ]);
        return new CallPipeline(pipeline, sttStage, llm, output);
    }
}

/// <summary>A built pipeline plus the stages the session talks to directly.</summary>
public sealed record CallPipeline(VoicePipeline Pipeline, SttStage Stt, LlmStage Agent, OutputStage Output);
