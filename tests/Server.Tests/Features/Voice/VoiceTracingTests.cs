using System.Collections.Concurrent;
using System.Diagnostics;
using System.Xml.Linq;
using EstateVoice.CallSimulator;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Tools;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using static EstateVoice.Server.Tests.Features.Telephony.TwilioTestClient;
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

    [Fact]
    public async Task The_call_trace_links_to_the_Twilio_webhook_request_whose_TwiML_started_the_stream()
    {
        // The webhook request continues a trace of the test's (as Twilio's own tracing would not, but a proxy may):
        // only requests of that trace are recorded, so other tests' requests stay untraced.
        var webhookTrace = ActivityTraceId.CreateRandom();
        using var spans = new SpanCollector(requestsOfTrace: webhookTrace);
        await using var app = new VoiceAppFactory { Stt = new ScriptedSpeechToText("hello"), Tts = new ToneTextToSpeech(msPerWord: 10) };
        app.Settings["TWILIO_AUTH_TOKEN"] = TwilioAuthToken;
        app.Settings["PUBLIC_BASE_URL"] = PublicBaseUrl;
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        http.DefaultRequestHeaders.Add("traceparent", $"00-{webhookTrace}-{ActivitySpanId.CreateRandom()}-01");
        var callSid = "CA" + Guid.NewGuid().ToString("N");

        var response = await PostSignedAsync(http, "/twilio/webhook", VoiceRequest(callSid), TwilioAuthToken);
        response.EnsureSuccessStatusCode();
        var parameters = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Element("Connect")!.Element("Stream")!
            .Elements("Parameter").ToDictionary(p => (string)p.Attribute("name")!, p => (string)p.Attribute("value")!);
        var webhook = await spans.WaitForAsync(a => a.Source.Name == AspNetCoreSource && a.TraceId == webhookTrace);
        Assert.Equal(webhook.Id, parameters[CallTelemetry.TraceParentParameter]);

        // Twilio sends the <Stream>'s parameters back in the stream's start.
        var callId = int.Parse(parameters["call_id"], System.Globalization.CultureInfo.InvariantCulture);
        var caller = new SimulatedCall();
        await using (caller)
        {
            await caller.ConnectAsync(app.WebSocketUri(MediaStreamEndpoint.TwilioPath));
            await caller.StartAsync(callId, parameters["stream_token"], parameters: parameters);
            await caller.WaitForAgentToFinishAsync();
            await caller.StopAsync();
            await caller.WaitUntilAsync(() => app.CallEndedAsync(callId));
        }

        var root = await spans.WaitForAsync(a => a.OperationName == VoiceTracing.CallSpan && Equals(a.GetTagItem(VoiceTracing.CallSidTag), callSid));
        Assert.NotEqual(webhookTrace, root.TraceId); // still a trace of its own
        Assert.Contains(root.Links, l => l.Context.TraceId == webhookTrace && l.Context.SpanId == webhook.SpanId);
    }

    private const string AspNetCoreSource = "Microsoft.AspNetCore";
    private const string TwilioAuthToken = "twilio-test-auth-token";

    /// <summary>
    /// Records every stopped span of the voice loop's source (of any test's calls: tests filter by trace), and the
    /// ASP.NET Core request spans of <c>requestsOfTrace</c>, if given (no other request is traced).
    /// </summary>
    private sealed class SpanCollector : IDisposable
    {
        private readonly ActivityListener _listener;
        public ConcurrentQueue<Activity> Stopped { get; } = new();

        public SpanCollector(ActivityTraceId? requestsOfTrace = null)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == VoiceTracing.SourceName || (requestsOfTrace is not null && source.Name == AspNetCoreSource),
                Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                    options.Source.Name != AspNetCoreSource || options.Parent.TraceId == requestsOfTrace
                        ? ActivitySamplingResult.AllDataAndRecorded
                        : ActivitySamplingResult.None,
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
