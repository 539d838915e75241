using System.Diagnostics;
using EstateVoice.Server.Features.Voice.Providers;
using Microsoft.Extensions.AI;

namespace EstateVoice.Server.Features.Voice;

/// <summary>
/// One call's trace below its root span: a span per caller turn (from the caller's end of speech to the end of the
/// agent's reply, or the next turn), and under it the turn's speech-to-text, model rounds, tool calls and syntheses.
/// Spans are taken where the timings already are — the call's observer (turns, STT latency), and thin wrappers around
/// the chat client, the agent's tools and the voices — so no stage changes for it. Built per call by
/// <see cref="CallPipelineFactory"/> only while the call's root span is recorded; otherwise nothing is wrapped.
/// </summary>
public sealed partial class CallTrace
{
    private readonly Activity _call;
    private readonly Lock _gate = new();
    private Activity? _turn;
    private int _turns;
    private int _roundsInTurn;

    private CallTrace(Activity call) => _call = call;

    /// <summary>The trace of the call whose session is running this code, or null when the call is not being traced.</summary>
    public static CallTrace? ForCurrentCall()
    {
        for (var activity = Activity.Current; activity is not null; activity = activity.Parent)
        {
            if (activity.Source == VoiceTracing.Source && activity.OperationName == VoiceTracing.CallSpan)
                return activity.IsAllDataRequested ? new CallTrace(activity) : null;
        }
        return null;
    }

    /// <summary>A span under the turn in progress (under the call between turns: the greeting, an idle prompt).</summary>
    internal Activity? StartChild(string name, ActivityKind kind = ActivityKind.Internal)
    {
        var activity = VoiceTracing.StartDetached(name, Parent(), kind: kind);
        TagCall(activity);
        return activity;
    }

    private ActivityContext Parent()
    {
        lock (_gate) return (_turn ?? _call).Context;
    }

    /// <summary>The model round number within the current turn (1, 2, … — a round after tool calls is the next one).</summary>
    internal int NextRound()
    {
        lock (_gate) return ++_roundsInTurn;
    }

    private void TagCall(Activity? activity)
    {
        if (activity is null) return;
        activity.SetTag(VoiceTracing.CallIdTag, _call.GetTagItem(VoiceTracing.CallIdTag));
        activity.SetTag(VoiceTracing.CallSidTag, _call.GetTagItem(VoiceTracing.CallSidTag));
    }

    /// <summary>A caller turn was handed to the agent: its span starts at the caller's end of speech.</summary>
    private void BeginTurn(UserTurnRecord turn)
    {
        var now = DateTimeOffset.UtcNow;
        var endOfSpeech = now - turn.SttLatency;
        Activity? previous;
        Activity? current;
        lock (_gate)
        {
            previous = _turn;
            current = _turn = VoiceTracing.StartDetached(VoiceTracing.TurnSpan, _call.Context, endOfSpeech);
            _roundsInTurn = 0;
            _turns++;
        }
        if (previous is not null)
        {
            previous.SetTag("voice.turn.ended_by", "next turn");
            VoiceTracing.StopDetached(previous);
        }
        if (current is null) return;
        TagCall(current);
        current.SetTag("voice.turn.number", _turns);
        current.SetTag("voice.turn.words", CountWords(turn.Text));
        // Speech-to-text as the caller lived it: from the end of their speech to the final transcript.
        var stt = VoiceTracing.StartDetached(VoiceTracing.SttSpan, current.Context, endOfSpeech);
        if (stt is null) return;
        TagCall(stt);
        stt.SetTag("voice.stt.latency_ms", Math.Round(turn.SttLatency.TotalMilliseconds));
        VoiceTracing.StopDetached(stt, now);
    }

    /// <summary>The agent's reply to the turn ended (played out, or cut short by the caller).</summary>
    private void EndTurn(AgentTurnRecord reply)
    {
        Activity? turn;
        lock (_gate)
        {
            turn = _turn;
            _turn = null;
        }
        if (turn is null) return; // the greeting, an idle prompt: no caller turn to close
        turn.SetTag("voice.turn.interrupted", reply.Interrupted);
        turn.SetTag("voice.turn.tool_calls", reply.ToolCalls.Count);
        if (reply.LlmFirstToken is { } llm) turn.SetTag("voice.turn.llm_first_token_ms", Math.Round(llm.TotalMilliseconds));
        if (reply.TtsFirstByte is { } tts) turn.SetTag("voice.turn.tts_first_byte_ms", Math.Round(tts.TotalMilliseconds));
        if (reply.FirstAudio is { } audio) turn.SetTag("voice.turn.first_audio_ms", Math.Round(audio.TotalMilliseconds));
        VoiceTracing.StopDetached(turn);
    }

    private void ProviderFailed(string source, string message)
    {
        Activity? target;
        lock (_gate) target = _turn ?? _call;
        target.AddEvent(new ActivityEvent("voice.provider_failure", tags: new ActivityTagsCollection
        {
            ["voice.failure.source"] = source,
            ["voice.failure.message"] = message,
        }));
    }

    private static int CountWords(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    // ---- the wrappers CallPipelineFactory puts around the call's parts --------------------------------------------

    public ICallObserver Observe(ICallObserver inner) => new TracingObserver(this, inner);

    public IChatClient Trace(IChatClient inner) => new TracingChatClient(this, inner);

    public IList<AITool> Trace(IList<AITool> tools) =>
        [.. tools.Select(t => t is AIFunction f ? new TracingFunction(this, f) : t)];

    public ITextToSpeech Trace(ITextToSpeech inner, bool fallback = false) => new TracingTextToSpeech(this, inner, fallback);

    /// <summary>Forwards everything; caller turns open a turn span, the agent's turns close it.</summary>
    private sealed class TracingObserver(CallTrace trace, ICallObserver inner) : ICallObserver
    {
        public void OnUserTranscript(string text, bool isFinal) => inner.OnUserTranscript(text, isFinal);

        public void OnUserTurn(UserTurnRecord turn)
        {
            trace.BeginTurn(turn);
            inner.OnUserTurn(turn);
        }

        public void OnAgentTurn(AgentTurnRecord turn)
        {
            trace.EndTurn(turn);
            inner.OnAgentTurn(turn);
        }

        public void OnToolCall(ToolCallRecord call) => inner.OnToolCall(call);

        public void OnProviderFailure(string source, string message)
        {
            trace.ProviderFailed(source, message);
            inner.OnProviderFailure(source, message);
        }
    }
}
