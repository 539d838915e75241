using EstateVoice.Server.Features.Voice.Agent;
using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Features.Voice.Pipeline;
using EstateVoice.Server.Features.Voice.Providers;
using EstateVoice.Server.Features.Voice.Stages;
using EstateVoice.Server.Features.Voice.Tools;
using EstateVoice.Server.Features.Voice.Transport;
using EstateVoice.Server.Features.Voice.Twilio;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Voice;

/// <summary>
/// Builds one call's pipeline: input transport → VAD → STT → barge-in → turn aggregator → idle monitor → agent →
/// splitter → TTS → paced sender (writing to the output transport) → call control. Frames that leave its head
/// upstream (call-control results) go to <paramref name="onUpstream"/> in <see cref="Create"/>.
/// </summary>
public sealed class CallPipelineFactory(
    ISpeechToText stt,
    ITextToSpeech tts,
    ICallControl control,
    TextToSpeechFallback ttsFallback,
    IChatClient chat,
    IAgentDataStore data,
    IOptions<VoiceOptions> options,
    TimeProvider time,
    ILoggerFactory loggers,
    CallBriefing briefing,
    PacingClock pacing,
    Notifications.INotifier notifier)
{
    public VoiceOptions Options => options.Value;

    /// <summary>The agent's instructions and opener for this call (who is calling, why we call them).</summary>
    public Task<AgentBriefing> BriefAsync(VoiceCall call, bool testCall, CancellationToken cancellationToken) =>
        briefing.BriefAsync(call, testCall, cancellationToken);

    public CallPipeline Create(VoiceCall call, ICallFacts facts, FrameProcessor input, IMediaStreamSink output, ICallObserver observer,
        CallClock clock, string instructions, Func<Frame, ValueTask>? onUpstream = null)
    {
        var o = options.Value;
        // Spans for the call's turns, model rounds, tools and voices, only while its trace is recorded (CallTrace).
        var (agentChat, voice, fallbackVoice, tools) = (chat, tts, ttsFallback.Voice, new AgentTools(data, facts, time, notifier).Create());
        if (CallTrace.ForCurrentCall() is { } trace)
            (agentChat, voice, fallbackVoice, tools, observer) = (trace.Trace(chat), trace.Trace(tts),
                fallbackVoice is null ? null : trace.Trace(fallbackVoice, fallback: true), trace.Trace(tools), trace.Observe(observer));
        var vad = new VadStage(o);
        var sttStage = new SttStage(stt, new Providers.SpeechToTextOptions(call.CallSid, EndpointingMs: o.SilenceMs), o, time, loggers.CreateLogger<SttStage>());
        var llm = new LlmStage(agentChat, tools, o, time, observer,
            loggers.CreateLogger<LlmStage>(), instructions);
        var sender = new OutputStage(output, observer, clock, o, pacing);
        var pipeline = new VoicePipeline(
        [
            input,
            vad,
            sttStage,
            new BargeInStage(new BargeInPolicy(BargeInPolicy.Timing.From(o))),
            new UserTurnAggregator(o, time, observer),
            new IdleMonitor(o, time),
            llm,
            new SentenceSplitter(),
            new TtsStage(voice, fallbackVoice, o, time, loggers.CreateLogger<TtsStage>()),
            sender,
            new CallControlOutput(call, control, loggers.CreateLogger<CallControlOutput>()),
        ], onUpstreamFrame: onUpstream);
        return new CallPipeline(pipeline, sttStage, llm, sender);
    }
}

/// <summary>A built pipeline plus the stages the session talks to directly.</summary>
public sealed record CallPipeline(VoicePipeline Pipeline, SttStage Stt, LlmStage Agent, OutputStage Output);
