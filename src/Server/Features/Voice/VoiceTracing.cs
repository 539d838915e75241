using System.Collections;
using System.Diagnostics;
using EstateVoice.Server.Features.Voice.Calls;

namespace EstateVoice.Server.Features.Voice;

/// <summary>
/// The voice loop's traces: one trace per call (<see cref="CallSpan"/>, from the media stream's start to its end) with a
/// span per caller turn and, under it, the turn's speech-to-text, each model round, each tool call and each synthesis.
/// Exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (Infrastructure/Observability). With nobody
/// listening <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null and nothing is wrapped or
/// allocated per turn (see <see cref="CallTrace"/>).
/// </summary>
public static class VoiceTracing
{
    public const string SourceName = "EstateVoice.Voice";
    public const string CallSpan = "voice.call";
    public const string TurnSpan = "voice.turn";
    public const string SttSpan = "voice.stt";
    public const string LlmSpan = "voice.llm";
    public const string ToolSpan = "voice.tool";
    public const string TtsSpan = "voice.tts";

    public const string CallIdTag = "voice.call.id";
    public const string CallSidTag = "voice.call.sid";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// Starts a span under <paramref name="parent"/> without making it the caller's current activity: spans of a call
    /// are parented explicitly (the stages run on threads of their own), so the thread that starts or ends one keeps
    /// whatever activity it had.
    /// </summary>
    internal static Activity? StartDetached(string name, ActivityContext parent, DateTimeOffset startTime = default,
        ActivityKind kind = ActivityKind.Internal)
    {
        var previous = Activity.Current;
        var activity = Source.StartActivity(name, kind, parent, startTime: startTime);
        Activity.Current = previous;
        return activity;
    }

    /// <summary>Ends a span started with <see cref="StartDetached"/>, leaving the thread's current activity as it was.</summary>
    internal static void StopDetached(Activity activity, DateTimeOffset endTime = default)
    {
        var previous = Activity.Current;
        if (endTime != default) activity.SetEndTime(endTime.UtcDateTime);
        activity.Stop();
        if (previous != activity) Activity.Current = previous;
    }
}

/// <summary>
/// What a call's session does for observability, start to end: a log scope carrying the call SID (every line logged
/// within the call, on whichever thread a stage runs, carries it: the scope is an async-local taken at the session's
/// start, which the stages' loops and tasks inherit), the call's root span, and the active-calls gauge.
/// Created by <see cref="CallSession"/>; <see cref="Begin"/> at the start of its run, <see cref="Admitted"/> on a
/// <c>start</c> it accepts, disposed at the end of its run.
/// </summary>
public sealed class CallTelemetry(VoiceMetrics metrics, ILogger logger) : IDisposable
{
    /// <summary>
    /// The <c>&lt;Stream&gt;</c> parameter carrying the W3C trace context of the request whose TwiML started the
    /// stream (the Twilio voice webhook): the call's trace links to it, so the webhook's span leads to the call.
    /// </summary>
    public const string TraceParentParameter = "traceparent";

    private readonly CallLogScope _scope = new();
    private IDisposable? _logScope;
    private Activity? _span;
    private bool _counted;

    /// <summary>
    /// Opens the log scope and the call's span; both become the ambient ones of the calling async flow (the session's run,
    /// and so everything it starts). The span is a trace of its own, linked to the request that carried the stream.
    /// </summary>
    public CallTelemetry Begin()
    {
        _logScope = logger.BeginScope(_scope);
        if (!VoiceTracing.Source.HasListeners()) return this;
        var request = Activity.Current;
        Activity.Current = null; // a root: the call's trace is not the WebSocket request's
        ActivityLink[]? links = request is null ? null : [new ActivityLink(request.Context)];
        _span = VoiceTracing.Source.StartActivity(VoiceTracing.CallSpan, ActivityKind.Server, default(ActivityContext), links: links);
        if (_span is null) Activity.Current = request;
        return this;
    }

    /// <summary>
    /// The stream was accepted for <paramref name="call"/>: from here on the lines and spans name it. A
    /// <paramref name="traceParent"/> from the stream's start (see <see cref="TraceParentParameter"/>) becomes a link
    /// of the call's span, beside the WebSocket request's.
    /// </summary>
    public void Admitted(VoiceCall call, string? streamSid, string? traceParent = null)
    {
        _scope.Admit(call.Id, call.CallSid, streamSid);
        metrics.CallStarted();
        _counted = true;
        if (_span is null) return;
        _span.SetTag(VoiceTracing.CallIdTag, call.Id);
        _span.SetTag(VoiceTracing.CallSidTag, call.CallSid);
        _span.SetTag("voice.stream.sid", streamSid);
        if (traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var webhook))
            _span.AddLink(new ActivityLink(webhook));
    }

    /// <summary>The current request's trace context for <see cref="TraceParentParameter"/>, if it is being traced.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { Recorded: true, IdFormat: ActivityIdFormat.W3C } request ? request.Id : null;

    public void Dispose()
    {
        if (_counted) metrics.CallEnded();
        _counted = false;
        if (_span is not null)
        {
            VoiceTracing.StopDetached(_span);
            _span = null;
        }
        _logScope?.Dispose();
        _logScope = null;
    }

    /// <summary>
    /// The call's log scope: empty until the stream is admitted, then CallSid / CallId / StreamSid. Structured
    /// formatters (LOG_FORMAT=json) write each pair as a property; the simple one writes <see cref="ToString"/>.
    /// </summary>
    private sealed class CallLogScope : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private KeyValuePair<string, object?>[] _items = [];
        private string _text = "";

        public void Admit(int callId, string? callSid, string? streamSid)
        {
            _text = $"CallSid:{callSid} CallId:{callId}";
            // Replaced whole, never changed in place: a line being written on another thread sees one or the other.
            _items =
            [
                new("CallSid", callSid),
                new("CallId", callId),
                new("StreamSid", streamSid),
            ];
        }

        public KeyValuePair<string, object?> this[int index] => _items[index];
        public int Count => _items.Length;
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_items).GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        public override string ToString() => _text;
    }
}
