using System.Collections.Concurrent;
using System.Diagnostics;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Tools;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice;

/// <summary>One trace per call, end to end over a real media stream, seen by a listener on the voice loop's ActivitySource.</summary>
public sealed class VoiceTracingTests
{
    [Fact]
    public async Task A_call_is_one_trace_with_a_span_per_turn_over_its_stt_model_rounds_tool_call_and_speech()
    {
        using var spans = new SpanCollector();
        var chat = new ToolThenReplyChat(AgentTools.SearchProperties, new() { ["city"] = "Austin" });
        await using var app = new VoiceAppFactory
        {
            Stt = new ScriptedSpeechToText("I'm looking to buy in Austin."), Tts = new ToneTextToSpeech(msPerWord: 10), Chat = chat,
        };
        await VoiceListings.SeedAsync(app);
        var (caller, callId) = await app.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("buyer-intent"));
            await caller.StopAsync();
            await caller.WaitUntilAsync(() => app.CallEndedAsync(callId));
        }
        var callSid = (await app.CallRowAsync(callId)).CallSid;

        // The root ends as the session's run does, just after the call row is final.
        // (By SID: every test app numbers its calls from 1.)
        var root = await spans.WaitForAsync(a => a.OperationName == VoiceTracing.CallSpan && Equals(a.GetTagItem(VoiceTracing.CallSidTag), callSid));
        Assert.Equal(default, root.ParentSpanId); // a trace of its own, not a child of the WebSocket request
        Assert.Equal(callId, root.GetTagItem(VoiceTracing.CallIdTag));
        var trace = spans.Stopped.Where(a => a.TraceId == root.TraceId).ToArray();
        Assert.Equal(1, trace.Count(a => a.OperationName == VoiceTracing.CallSpan));
        Assert.All(trace, a => Assert.Equal(callSid, a.GetTagItem(VoiceTracing.CallSidTag)));

        // The greeting is spoken before any caller turn: its synthesis hangs off the call.
        Assert.Contains(trace, a => a.OperationName == VoiceTracing.TtsSpan && a.ParentSpanId == root.SpanId);

        var turn = Assert.Single(trace, a => a.OperationName == VoiceTracing.TurnSpan);
        Assert.Equal(root.SpanId, turn.ParentSpanId);
        var children = trace.Where(a => a.ParentSpanId == turn.SpanId).OrderBy(a => a.StartTimeUtc).ToArray();
        Assert.Equal(
            [VoiceTracing.SttSpan, VoiceTracing.LlmSpan, VoiceTracing.ToolSpan, VoiceTracing.LlmSpan],
            children.Where(a => a.OperationName != VoiceTracing.TtsSpan).Select(a => a.OperationName));
        var rounds = children.Where(a => a.OperationName == VoiceTracing.LlmSpan).ToArray();
        Assert.Equal([1, 2], rounds.Select(r => r.GetTagItem("voice.llm.round")));
        Assert.Equal([1, 0], rounds.Select(r => r.GetTagItem("voice.llm.tool_calls")));
        Assert.All(rounds, r => Assert.Equal("ok", r.GetTagItem("voice.outcome")));
        var tool = Assert.Single(children, a => a.OperationName == VoiceTracing.ToolSpan);
        Assert.Equal(AgentTools.SearchProperties, tool.GetTagItem("gen_ai.tool.name"));
        Assert.Equal("ok", tool.GetTagItem("voice.outcome"));
        // The reply is spoken after the tool, inside the turn: the turn lasts until it has played out.
        var speech = children.Last(a => a.OperationName == VoiceTracing.TtsSpan); // after a filler, if the tool was slow
        Assert.True(speech.StartTimeUtc >= tool.StartTimeUtc + tool.Duration, "the reply was synthesised before the tool returned");
        Assert.True(turn.StartTimeUtc + turn.Duration >= speech.StartTimeUtc + speech.Duration, "the turn ended before its reply was spoken");
        // The turn starts at the caller's end of speech: its speech-to-text span starts with it.
        var stt = children[0];
        Assert.Equal(turn.StartTimeUtc, stt.StartTimeUtc);
        Assert.Equal(false, turn.GetTagItem("voice.turn.interrupted"));
        Assert.Equal(1, turn.GetTagItem("voice.turn.tool_calls"));
        Assert.NotNull(turn.GetTagItem("voice.turn.first_audio_ms"));
    }

    [Fact]
    public async Task A_tool_that_reports_an_error_is_traced_with_that_outcome()
    {
        using var spans = new SpanCollector();
        var chat = new ToolThenReplyChat(AgentTools.GetPropertyDetails, new() { ["property_id"] = 987654 });
        await using var app = new VoiceAppFactory
        {
            Stt = new ScriptedSpeechToText("Tell me about that one."), Tts = new ToneTextToSpeech(msPerWord: 10), Chat = chat,
        };
        var (caller, callId) = await app.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("buyer-intent"));
        }
        var callSid = (await app.CallRowAsync(callId)).CallSid;
        var tool = await spans.WaitForAsync(a => a.OperationName == VoiceTracing.ToolSpan && Equals(a.GetTagItem(VoiceTracing.CallSidTag), callSid));
        Assert.Equal(AgentTools.GetPropertyDetails, tool.GetTagItem("gen_ai.tool.name"));
        Assert.Equal("error", tool.GetTagItem("voice.outcome")); // { "error": "no such property" }
    }

    /// <summary>Records every stopped span of the voice loop's source (of any test's calls: tests filter by trace).</summary>
    private sealed class SpanCollector : IDisposable
    {
        private readonly ActivityListener _listener;
        public ConcurrentQueue<Activity> Stopped { get; } = new();

        public SpanCollector()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == VoiceTracing.SourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = Stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public async Task<Activity> WaitForAsync(Func<Activity, bool> match)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (true)
            {
                if (Stopped.FirstOrDefault(match) is { } found) return found;
                await Task.Delay(20, timeout.Token);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
