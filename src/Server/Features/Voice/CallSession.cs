using System.Net.WebSockets;
using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Features.Voice.Live;
using EstateVoice.Server.Features.Voice.Tools;
using EstateVoice.Server.Features.Voice.Transport;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Voice;

/// <summary>
/// The host of one media stream (Twilio, or a browser test call — they differ only in their serializer): admits the
/// stream on its <c>start</c>, runs one pipeline for the call with the input transport (<see cref="MediaStreamInput"/>)
/// at its head and the output transport (<see cref="MediaStreamOutput"/>) under its paced sender, owns the call's
/// <see cref="CallState"/> (its only writer) and finalises the call row on <c>stop</c>, socket drop, hang-up,
/// transfer or server shutdown — whichever comes first. A stream the input refuses (media before <c>start</c>, a
/// wrong codec, an oversized message) or the host does not admit leaves the call row untouched.
/// </summary>
public sealed partial class CallSession(
    WebSocket socket,
    CallPipelineFactory pipelines,
    IVoiceCallStore store,
    ICallEventPublisher events,
    VoiceMetrics metrics,
    TimeProvider time,
    IOptions<CallLeaseOptions> leases,
    Recording.CallRecordings recordings,
    ILogger<CallSession> logger)
{
    private readonly CancellationTokenSource _end = new();
    private MediaStreamInput? _input;
    private CallTelemetry? _telemetry;
    private CallPipeline? _pipeline;
    private CallRecorder? _recorder;
    private CallState? _state;
    private VoiceCall? _call;
    private DateTimeOffset _startedAt;
    private string? _endReason;
    // Set when the call ends by our doing (server shutdown, a fault in the session): the call is then failed with it.
    private string? _sessionFailure;
    private MediaStreamOutput? _sink;
    private Recording.CallRecording? _recording;

    /// <summary>Browser test calls: the call row exists already (created for the signed-in user) and there is no token.</summary>
    public VoiceCall? PreAdmittedCall { get; set; }

    public int? CallId => _call?.Id;

    public async Task RunAsync(CancellationToken serverStopping)
    {
        using var telemetry = _telemetry = new CallTelemetry(metrics, logger).Begin(); // the call SID on every line of the call, its trace, the active-calls gauge
        // The browser's test call speaks Twilio's protocol plus typed words in and live transcripts out.
        IFrameSerializer serializer = PreAdmittedCall is null ? new TwilioFrameSerializer() : new BrowserFrameSerializer();
        var input = _input = new MediaStreamInput(socket, serializer, time, logger);
        // _end (the call's own end) stops the admission and the frames; the socket is never read with a token (a
        // cancelled read aborts it): the session closes it itself, with a close frame, once the call has ended.
        var receiving = input.ReceiveAsync((start, token) => AdmitAsync(start, serializer, token), _end.Token);
        try
        {
            await UntilEndingAsync(receiving, serverStopping).ConfigureAwait(false);
            if (!receiving.IsCompleted && serverStopping.IsCancellationRequested && !_end.IsCancellationRequested)
            {
                // The drain's deadline (or a second stop signal): the caller hears a closing line, then the call ends.
                if (_endReason is null) _endReason = _sessionFailure = "server shutdown";
                if (_pipeline is not null) await SayGoodbyeAsync(receiving).ConfigureAwait(false);
                if (!receiving.IsCompleted) await EndAsync("server shutdown").ConfigureAwait(false);
            }
            if (receiving.IsCompleted) _endReason ??= await receiving.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_end.IsCancellationRequested)
        {
            _endReason ??= "ended";
        }
        catch (Exception ex) when (IsPeerGone(ex))
        {
            // The caller hung up, left the page or lost the network: a normal end of the call, not a failure.
            _endReason ??= "socket dropped";
            LogSocketError(ex.Message);
        }
        catch (Exception ex)
        {
            _endReason ??= "session error";
            _sessionFailure ??= "session error: " + ex.Message;
            logger.LogError(ex, "Media stream session for call {CallId} failed", _call?.Id);
        }
        finally
        {
            await FinishAsync().ConfigureAwait(false);
            await input.CloseAsync(WebSocketCloseStatus.NormalClosure, _endReason ?? "call ended").ConfigureAwait(false);
            await AwaitPeerCloseAsync(receiving).ConfigureAwait(false);
            // Never admitted: the input is no pipeline's stage, so nothing else disposes it.
            if (_pipeline is null) await input.DisposeAsync().ConfigureAwait(false);
            _end.Dispose();
        }
    }

    /// <summary>How a socket whose peer went away fails a receive (an aborted connection is a cancellation nobody asked for).</summary>
    private static bool IsPeerGone(Exception ex) => ex is WebSocketException or IOException or OperationCanceledException;

    /// <summary>The stream's start: claims the call (a Twilio stream's one-time token) and starts its pipeline; null refuses it.</summary>
    private async ValueTask<CallClock?> AdmitAsync(StreamStart start, IFrameSerializer serializer, CancellationToken token)
    {
        var call = PreAdmittedCall;
        if (call is null)
        {
            start.Parameters.TryGetValue(StreamTokens.CallIdParameter, out var rawId);
            start.Parameters.TryGetValue(StreamTokens.ParameterName, out var streamToken);
            var claim = int.TryParse(rawId, out var callId)
                ? await store.ClaimStreamAsync(callId, streamToken, start.StreamSid, token).ConfigureAwait(false)
                : new StreamClaim(StreamClaimResult.UnknownCall, null);
            if (claim.Result != StreamClaimResult.Accepted || claim.Call is null)
            {
                LogRefused(rawId, claim.Result);
                return null;
            }
            call = claim.Call;
        }
        _call = call;
        _startedAt = time.GetUtcNow();
        StartLeaseRenewal(call.Id);
        _telemetry?.Admitted(call, start.StreamSid, start.Parameters.GetValueOrDefault(CallTelemetry.TraceParentParameter));
        start.Parameters.TryGetValue(ResumeParameter, out var resume);
        return await StartPipelineAsync(call, serializer, start.StreamSid ?? "MZ" + call.Id, resume == ResumeAfterFailedTransfer, token).ConfigureAwait(false);
    }

    /// <summary>The start parameter (and its value) of a stream that re-opens a call after a dial nobody answered.</summary>
    public const string ResumeParameter = "resume";
    public const string ResumeAfterFailedTransfer = "transfer_failed";

    private async Task<CallClock> StartPipelineAsync(VoiceCall call, IFrameSerializer serializer, string streamSid, bool resumed, CancellationToken token)
    {
        var sink = _sink = new MediaStreamOutput(socket, serializer, streamSid);
        // A resumed stream carries on the call's one clock from where the first stream started: its turns follow the
        // earlier ones and its recording lands after theirs (the dial's gap is silence), not over them.
        var clock = new CallClock(time, resumed && call.AnsweredAt is { } answered ? Max(time.GetUtcNow() - answered, TimeSpan.Zero) : TimeSpan.Zero);
        var state = _state = new CallState(call.LeadId);
        // A resumed call carries on from its turns so far (loaded before anything new is numbered).
        var earlier = resumed ? await store.LoadTurnsAsync(call.Id, token).ConfigureAwait(false) : [];
        if (resumed) state.Resumed(earlier.Count == 0 ? 0 : earlier[^1].Sequence);
        _recorder = new CallRecorder(call, store, events, metrics, sink, logger,
            earlierTurns: earlier.Count == 0 ? 0 : earlier[^1].Sequence);
        // A browser test call has no number: matching leads by its pseudo-number would merge every test call into one lead.
        var briefing = await pipelines.BriefAsync(call, testCall: PreAdmittedCall is not null, token).ConfigureAwait(false);
        if (briefing.LeadId is { } knownLead) state.Apply(new LeadIdentified(knownLead));
        // Recorded from the first frame (the greeting included); a call that asks keeps it only on the caller's yes.
        _recording = recordings.Start(call, clock, resumed);
        _input!.RecordTo(_recording?.Tap);
        sink.RecordTo(_recording?.Tap);
        var observer = new SessionObserver(_recorder, state, clock, _recording);
        _pipeline = pipelines.Create(call, new SessionFacts(this, call.Id, briefing.CallerPhone, state, call.IsTest), _input!, sink, observer, clock,
            briefing.Instructions, ApplyAsync);
        events.CallUpdated(call.AgentId, call.Id);
        await _pipeline.Pipeline.StartAsync(token).ConfigureAwait(false);
        // The greeting goes first; the agency's greeting is cached ahead of time so it plays well within 1.5 s of start
        // (a returning caller's or an outbound call's opener names the person, so it is synthesised like any reply). A
        // call back from a dial nobody answered hears that instead, and the agent knows the conversation so far.
        if (resumed) _pipeline.Agent.LoadHistory(earlier);
        var opening = resumed ? pipelines.Options.TransferResumeLine : briefing.Greeting;
        // No caller turn asked for it: the greeting's turn has no latency figures.
        await _pipeline.Pipeline.QueueFrameAsync(AgentReplyStartedFrame.Unprompted).ConfigureAwait(false);
        await _pipeline.Pipeline.QueueFrameAsync(new SpeakSentenceFrame(opening)).ConfigureAwait(false);
        if (!resumed && recordings.OpeningLine(_recording) is { } recordingLine)
            await _pipeline.Pipeline.QueueFrameAsync(new SpeakSentenceFrame(recordingLine)).ConfigureAwait(false);
        await _pipeline.Pipeline.QueueFrameAsync(AgentReplyEndedFrame.Instance).ConfigureAwait(false);
        return clock;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private ValueTask EndAsync(string reason)
    {
        _endReason ??= reason;
        try { _end.Cancel(); } catch (ObjectDisposedException) { }
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream for call {CallId} refused: {Result}")]
    private partial void LogRefused(string? callId, StreamClaimResult result);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Media stream socket error: {Message}")]
    private partial void LogSocketError(string message);

}
