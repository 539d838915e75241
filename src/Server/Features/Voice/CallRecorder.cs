using System.Text.Json;
using System.Threading.Channels;
using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Features.Voice.Live;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice;

/// <summary>
/// Writes each turn of a call when it ends (through a queue, so a slow database never stalls the audio) and
/// publishes live events. Observe-only: what the call's outcome is lives in <see cref="CallState"/>.
/// </summary>
public sealed class CallRecorder : ICallObserver, IAsyncDisposable
{
    private readonly VoiceCall _call;
    private readonly IVoiceCallStore _store;
    private readonly ICallEventPublisher _events;
    private readonly VoiceMetrics _metrics;
    private readonly IMediaStreamSink? _transcriptSink;
    private readonly ILogger _logger;
    private readonly Channel<Func<CancellationToken, Task>> _writes = Channel.CreateUnbounded<Func<CancellationToken, Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private int _sequence;
    private string? _failureReason;

    /// <param name="earlierTurns">Turns the call already has (a stream resumed after a failed transfer): numbering goes on after them.</param>
    public CallRecorder(VoiceCall call, IVoiceCallStore store, ICallEventPublisher events, VoiceMetrics metrics,
        IMediaStreamSink? transcriptSink, ILogger logger, int earlierTurns = 0)
    {
        _sequence = earlierTurns;
        _call = call;
        _store = store;
        _events = events;
        _metrics = metrics;
        _transcriptSink = transcriptSink;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    public void OnUserTranscript(string text, bool isFinal)
    {
        if (!isFinal) _events.Transcript(_call.AgentId, new TranscriptEvent(_call.Id, "caller", text, false, Volatile.Read(ref _sequence) + 1));
        _ = _transcriptSink?.SendTranscriptAsync("caller", text, isFinal, CancellationToken.None).AsTask();
    }

    public void OnUserTurn(UserTurnRecord turn)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        // Latency figures belong to the agent's reply (which carries this turn's STT figure too), never to the caller's words.
        var record = new CallTurnRecord(sequence, TurnSpeaker.Caller, turn.Text, Ms(turn.Start), Ms(turn.End), null, false,
            null, null, null, null);
        Enqueue(ct => _store.AppendTurnAsync(_call.Id, record, ct));
        _events.Transcript(_call.AgentId, new TranscriptEvent(_call.Id, "caller", turn.Text, true, sequence));
    }

    public void OnAgentTurn(AgentTurnRecord turn)
    {
        _metrics.AgentTurn(turn);
        var sequence = Interlocked.Increment(ref _sequence);
        var tools = turn.ToolCalls.Count == 0 ? null
            : JsonSerializer.Serialize(turn.ToolCalls.Select(t => new { name = t.Name, arguments = Raw(t.Arguments), result = Raw(t.Result) }));
        var record = new CallTurnRecord(sequence, TurnSpeaker.Agent, turn.Text, Ms(turn.Start), Ms(turn.End), tools, turn.Interrupted,
            Ms(turn.SttLatency), Ms(turn.LlmFirstToken), Ms(turn.TtsFirstByte), Ms(turn.FirstAudio));
        Enqueue(ct => _store.AppendTurnAsync(_call.Id, record, ct));
        _events.Transcript(_call.AgentId, new TranscriptEvent(_call.Id, "agent", turn.Text, true, sequence, turn.Interrupted));
    }

    public void OnToolCall(ToolCallRecord call)
    {
        _events.ToolCall(_call.AgentId, new ToolCallEvent(_call.Id, call.Name, call.Arguments, call.Result));
    }

    public void OnProviderFailure(string source, string message)
    {
        _metrics.ProviderFailed(source);
        // The first failure is the call's failure reason.
        var reason = Interlocked.CompareExchange(ref _failureReason, $"{source}: {message}", null) ?? _failureReason!;
        // Published once written: listeners read the call (with its failure reason) from the database.
        Enqueue(async ct =>
        {
            await _store.MarkFailureAsync(_call.Id, reason, ct).ConfigureAwait(false);
            _events.CallUpdated(_call.AgentId, _call.Id);
        });
    }

    public void Enqueue(Func<CancellationToken, Task> write) => _writes.Writer.TryWrite(write);

    private async Task WriteLoopAsync()
    {
        await foreach (var write in _writes.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await write(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Writing call {CallId} failed", _call.Id);
            }
        }
    }

    /// <summary>Waits until every queued write has reached the store.</summary>
    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private static int Ms(TimeSpan t) => (int)Math.Round(t.TotalMilliseconds);
    private static int? Ms(TimeSpan? t) => t is { } v ? Ms(v) : null;

    private static object Raw(string json)
    {
        try { return JsonDocument.Parse(json).RootElement.Clone(); }
        catch (JsonException) { return json; }
    }
}
