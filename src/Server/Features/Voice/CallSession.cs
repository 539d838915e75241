using System.Buffers;
using System.Net.WebSockets;
using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Features.Voice.Live;
using EstateVoice.Server.Features.Voice.Tools;
using EstateVoice.Server.Features.Voice.Twilio;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Voice;

/// <summary>
/// One media stream (Twilio or a browser test call): admits it on <c>start</c>, runs one pipeline for the call,
/// and finalises the call row on <c>stop</c>, socket drop, hang-up, transfer or server shutdown — whichever comes first.
/// Malformed and out-of-order messages are logged and skipped; media before <c>start</c>, a wrong codec or an
/// oversized message close the socket cleanly and leave the call row untouched.
/// </summary>
public sealed partial class CallSession(
    WebSocket socket,
    CallPipelineFactory pipelines,
    IVoiceCallStore store,
    ICallEventPublisher events,
    VoiceMetrics metrics,
    TimeProvider time,
    IOptions<CallLeaseOptions> leases,
    ILogger<CallSession> logger)
{
    public const int MaxMessageBytes = 16 * 1024;
    private const int MaxAudioBytes = 4 * 1024;
    private readonly CancellationTokenSource _end = new();
    private readonly InputAudioFrame _audio = new(ReadOnlyMemory<byte>.Empty, TimeSpan.Zero);
    private readonly MediaStreamMessage _message = new();
    private CallTelemetry? _telemetry;
    private CallPipeline? _pipeline;
    private CallRecorder? _recorder;
    private CallState? _state;
    private CallClock? _clock;
    private VoiceCall? _call;
    private DateTimeOffset _startedAt;
    private long _lastSequence;
    private long _audioFrames;
    private string? _endReason;
    // Set when the call ends by our doing (server shutdown, a fault in the session): the call is then failed with it.
    private string? _sessionFailure;
    private MediaStreamWriter? _sink;
    // The call's lifetime (ended by the session's end or server shutdown); kept as a token, the source is disposed at the end.
    private CancellationToken _lifetime;

    /// <summary>Browser test calls: the call row exists already (created for the signed-in user) and there is no token.</summary>
    public VoiceCall? PreAdmittedCall { get; set; }

    public int? CallId => _call?.Id;

    public async Task RunAsync(CancellationToken serverStopping)
    {
        using var telemetry = _telemetry = new CallTelemetry(metrics, logger).Begin(); // the call SID on every line of the call, its trace, the active-calls gauge
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(serverStopping, _end.Token);
        var buffer = ArrayPool<byte>.Shared.Rent(MaxMessageBytes);
        var audio = ArrayPool<byte>.Shared.Rent(MaxAudioBytes);
        try
        {
            await ReceiveLoopAsync(buffer, audio, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            if (_endReason is null && serverStopping.IsCancellationRequested) _endReason = _sessionFailure = "server shutdown";
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
            await CloseAsync(WebSocketCloseStatus.NormalClosure, _endReason ?? "call ended").ConfigureAwait(false);
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(audio);
            _end.Dispose();
        }
    }

    /// <summary>How a socket whose peer went away fails a receive (an aborted connection is a cancellation nobody asked for).</summary>
    private static bool IsPeerGone(Exception ex) => ex is WebSocketException or IOException or OperationCanceledException;

    private async Task ReceiveLoopAsync(byte[] buffer, byte[] audio, CancellationToken token)
    {
        while (socket.State == WebSocketState.Open)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    await RefuseAsync(WebSocketCloseStatus.MessageTooBig, "message too large").ConfigureAwait(false);
                    return;
                }
                result = await socket.ReceiveAsync(buffer.AsMemory(length), token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _endReason ??= _call is null ? "closed before start" : "socket closed";
                    return;
                }
                length += result.Count;
            } while (!result.EndOfMessage);

            if (result.MessageType != WebSocketMessageType.Text)
            {
                LogSkipped("binary frame");
                continue;
            }
            if (!MediaStreamParser.TryParse(buffer.AsSpan(0, length), _message, audio, out var error))
            {
                LogSkipped(error ?? "malformed");
                continue;
            }
            if (!await HandleAsync(_message, audio, token).ConfigureAwait(false))
                return;
        }
        _endReason ??= "socket dropped";
    }

    /// <returns>False when the session must end.</returns>
    private async ValueTask<bool> HandleAsync(MediaStreamMessage m, byte[] audio, CancellationToken token)
    {
        if (m.SequenceNumber > 0)
        {
            if (m.SequenceNumber <= _lastSequence)
            {
                LogSkipped($"out-of-order sequence {m.SequenceNumber} after {_lastSequence}");
                return true;
            }
            _lastSequence = m.SequenceNumber;
        }

        switch (m.Event)
        {
            case MediaStreamEvent.Connected:
                return true;
            case MediaStreamEvent.Start when _pipeline is not null:
                LogSkipped("second start");
                return true;
            case MediaStreamEvent.Start:
                return await StartAsync(m, token).ConfigureAwait(false);
            case MediaStreamEvent.Media when _pipeline is null:
                await RefuseAsync(WebSocketCloseStatus.PolicyViolation, "media before start").ConfigureAwait(false);
                return false;
            case MediaStreamEvent.Media:
                if (!m.InboundTrack || m.PayloadLength == 0) return true;
                _audio.Mulaw = audio.AsMemory(0, m.PayloadLength);
                _audio.Offset = m.TimestampMs >= 0
                    ? TimeSpan.FromMilliseconds(m.TimestampMs)
                    : TimeSpan.FromMilliseconds(_audioFrames * MuLaw.FrameMs);
                _audioFrames++;
                _clock!.AudioReceived(_audio.Offset);
                await _pipeline.Pipeline.QueueFrameAsync(_audio).ConfigureAwait(false);
                return true;
            case MediaStreamEvent.Mark when _pipeline is not null && m.MarkName is not null:
                await _pipeline.Pipeline.QueueFrameAsync(new MarkPlayedFrame(m.MarkName)).ConfigureAwait(false);
                return true;
            case MediaStreamEvent.Dtmf when _pipeline is not null && m.Digit != '\0':
                await _pipeline.Pipeline.QueueFrameAsync(new DtmfFrame(m.Digit)).ConfigureAwait(false);
                return true;
            case MediaStreamEvent.Text when _pipeline is not null && m.Text is { Length: > 0 } && !string.IsNullOrWhiteSpace(m.Text):
                var offset = _clock!.NowOnAudio;
                await _pipeline.Pipeline.QueueFrameAsync(new TranscriptionFrame(m.Text.Trim(), true, true, offset, offset)).ConfigureAwait(false);
                return true;
            case MediaStreamEvent.Stop:
                _endReason = "stop";
                return false;
            default:
                LogSkipped($"{m.Event} out of order");
                return true;
        }
    }

    private async ValueTask<bool> StartAsync(MediaStreamMessage m, CancellationToken token)
    {
        if (!string.Equals(m.Encoding, "audio/x-mulaw", StringComparison.OrdinalIgnoreCase) || m.SampleRate != MuLaw.SampleRate || m.Channels is not (0 or 1))
        {
            await RefuseAsync(WebSocketCloseStatus.InvalidPayloadData, "unsupported media format").ConfigureAwait(false);
            return false;
        }
        var call = PreAdmittedCall;
        if (call is null)
        {
            m.CustomParameters.TryGetValue(StreamTokens.CallIdParameter, out var rawId);
            m.CustomParameters.TryGetValue(StreamTokens.ParameterName, out var streamToken);
            var claim = int.TryParse(rawId, out var callId)
                ? await store.ClaimStreamAsync(callId, streamToken, m.StreamSid, token).ConfigureAwait(false)
                : new StreamClaim(StreamClaimResult.UnknownCall, null);
            if (claim.Result != StreamClaimResult.Accepted || claim.Call is null)
            {
                LogRefused(rawId, claim.Result);
                await RefuseAsync(WebSocketCloseStatus.PolicyViolation, "stream refused").ConfigureAwait(false);
                return false;
            }
            call = claim.Call;
        }
        _call = call;
        _startedAt = time.GetUtcNow();
        StartLeaseRenewal(call.Id);
        _telemetry?.Admitted(call, m.StreamSid);
        m.CustomParameters.TryGetValue(ResumeParameter, out var resume);
        await StartPipelineAsync(call, m.StreamSid ?? "MZ" + call.Id, resume == ResumeAfterFailedTransfer, token).ConfigureAwait(false);
        return true;
    }

    /// <summary>The start parameter (and its value) of a stream that re-opens a call after a dial nobody answered.</summary>
    public const string ResumeParameter = "resume";
    public const string ResumeAfterFailedTransfer = "transfer_failed";

    private async Task StartPipelineAsync(VoiceCall call, string streamSid, bool resumed, CancellationToken token)
    {
        _lifetime = token;
        var sink = _sink = new MediaStreamWriter(socket, streamSid) { IncludeTranscripts = PreAdmittedCall is not null };
        var clock = _clock = new CallClock(time);
        var state = _state = new CallState(call.LeadId);
        // A resumed call carries on from its turns so far (loaded before anything new is numbered).
        var earlier = resumed ? await store.LoadTurnsAsync(call.Id, token).ConfigureAwait(false) : [];
        if (resumed) state.Resumed(earlier.Count == 0 ? 0 : earlier[^1].Sequence);
        _recorder = new CallRecorder(call, store, events, metrics, PreAdmittedCall is not null ? sink : null, logger,
            earlierTurns: earlier.Count == 0 ? 0 : earlier[^1].Sequence);
        // A browser test call has no number: matching leads by its pseudo-number would merge every test call into one lead.
        var briefing = await pipelines.BriefAsync(call, testCall: PreAdmittedCall is not null, token).ConfigureAwait(false);
        if (briefing.LeadId is { } knownLead) state.Apply(new LeadIdentified(knownLead));
        var observer = new SessionObserver(_recorder, state, clock);
        _pipeline = pipelines.Create(call, new SessionFacts(this, call.Id, briefing.CallerPhone, state), sink, observer, clock,
            briefing.Instructions, ApplyAsync);
        events.CallUpdated(call.AgentId, call.Id);
        await _pipeline.Pipeline.StartAsync(token).ConfigureAwait(false);
        // The greeting goes first; the agency's greeting is cached ahead of time so it plays well within 1.5 s of start
        // (a returning caller's or an outbound call's opener names the person, so it is synthesised like any reply). A
        // call back from a dial nobody answered hears that instead, and the agent knows the conversation so far.
        if (resumed) _pipeline.Agent.LoadHistory(earlier);
        var opening = resumed ? pipelines.Options.TransferResumeLine : briefing.Greeting;
        var greeting = new ReplyTimings { StartedAt = time.GetTimestamp() };
        await _pipeline.Pipeline.QueueFrameAsync(new AgentReplyStartedFrame(greeting)).ConfigureAwait(false);
        await _pipeline.Pipeline.QueueFrameAsync(new SpeakSentenceFrame(opening)).ConfigureAwait(false);
        await _pipeline.Pipeline.QueueFrameAsync(new AgentReplyEndedFrame(greeting)).ConfigureAwait(false);
    }

    private ValueTask EndAsync(string reason)
    {
        _endReason ??= reason;
        try { _end.Cancel(); } catch (ObjectDisposedException) { }
        return ValueTask.CompletedTask;
    }

    private async Task RefuseAsync(WebSocketCloseStatus status, string reason)
    {
        _endReason = reason;
        LogClosing(reason);
        await CloseAsync(status, reason).ConfigureAwait(false);
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(status, reason.Length > 120 ? reason[..120] : reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            LogSocketError(ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream message skipped: {Reason}")]
    private partial void LogSkipped(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream for call {CallId} refused: {Result}")]
    private partial void LogRefused(string? callId, StreamClaimResult result);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing media stream: {Reason}")]
    private partial void LogClosing(string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Media stream socket error: {Message}")]
    private partial void LogSocketError(string message);

}
