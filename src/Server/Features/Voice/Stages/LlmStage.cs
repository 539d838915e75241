using System.Text;
using System.Text.Json;
using EstateVoice.Server.Features.Voice.Pipeline;
using EstateVoice.Server.Features.Voice.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// Runs the agent for each caller turn: streams the reply text downstream as it arrives (TTS must not wait for the
/// whole answer), runs tool calls (with a filler phrase when a tool is slow), and keeps the conversation history —
/// truncated to what the caller actually heard when they barge in. A provider failure becomes an apology and an
/// offer of a human; DTMF 0 transfers at once. When the agent calls transfer_to_human or end_call, the hand-off goes
/// down the pipeline as a frame after the reply's words (a closing line is said if the model said nothing); a transfer
/// the phone network refuses comes back up as a <see cref="TransferUpdateFrame"/> and the agent tells the caller and
/// carries on (offering to take a message).
/// </summary>
public sealed partial class LlmStage(
    IChatClient chat,
    IList<AITool> tools,
    VoiceOptions options,
    TimeProvider time,
    ICallObserver observer,
    ILogger logger,
    string systemPrompt) : FrameProcessor
{
    private const int MaxToolRounds = 5;
    private readonly Lock _historyGate = new();
    private readonly List<ChatMessage> _history = [new(ChatRole.System, systemPrompt)];
    // The assistant text messages of the reply being spoken: a barge-in rewrites them to what was heard.
    private readonly List<ChatMessage> _replyText = [];
    private readonly ChatOptions _chatOptions = new() { Tools = tools, ToolMode = ChatToolMode.Auto };
    private readonly Dictionary<string, AIFunction> _functions =
        tools.OfType<AIFunction>().ToDictionary(f => f.Name, StringComparer.Ordinal);
    private volatile bool _humanOffered;
    private int _failed;
    private int _callEnding;
    // Per reply (the loop handles one at a time): whether any of its words went out, in the whole reply and in the
    // current round, and whether the retry filler was said; and how many replies in a row failed.
    private bool _replySpoke;
    private bool _roundSpoke;
    private bool _retryFillerSaid;
    private bool _firstTokenMarked;
    private int _failedReplies;
    // The hand-off the current reply's tool calls asked for: sent once the reply's words are out.
    private Frame? _handOff;
    // Speculative replies: the held request started at the caller's pause, and the one this turn took (its first round).
    private readonly SpeculativeReply? _speculation = options.SpeculativeReplies ? new SpeculativeReply(chat, logger) : null;
    private IAsyncEnumerable<ChatResponseUpdate>? _speculated;

    /// <summary>Said before a transfer; its audio is cached with the other fixed phrases, so it plays with the speech provider down.</summary>
    public const string TransferPhrase = "Connecting you with one of our agents now.";

    /// <summary>A copy of the conversation so far (speculation compares against it; tests read it).</summary>
    internal IReadOnlyList<ChatMessage> History
    {
        get { lock (_historyGate) return [.. _history]; }
    }

    /// <summary>The call's earlier turns (a stream resumed after a failed transfer): the agent carries on from them.</summary>
    public void LoadHistory(IEnumerable<Calls.EarlierTurn> turns)
    {
        lock (_historyGate)
        {
            foreach (var turn in turns)
            {
                if (turn.Speaker == Calls.TurnSpeaker.System || string.IsNullOrWhiteSpace(turn.Text)) continue;
                _history.Add(new ChatMessage(turn.Speaker == Calls.TurnSpeaker.Caller ? ChatRole.User : ChatRole.Assistant, turn.Text));
            }
        }
    }

    protected override async ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken replyToken)
    {
        switch (frame)
        {
            case UserTurnFrame turn when direction == FrameDirection.Downstream:
                await RespondAsync(turn, replyToken).ConfigureAwait(false);
                break;
            case SpeakSentenceFrame said when direction == FrameDirection.Downstream:
                // Fixed phrases (greeting, "are you still there?") are part of the conversation too.
                AddAssistantText(said.Text);
                await PushFrameAsync(frame, direction).ConfigureAwait(false);
                break;
            default:
                await PushFrameAsync(frame, direction).ConfigureAwait(false);
                break;
        }
    }

    protected override async ValueTask ProcessSystemFrameAsync(Frame frame, FrameDirection direction, CancellationToken lifetime)
    {
        switch (frame)
        {
            case AgentTurnHeardFrame heard when heard.Interrupted:
                TruncateToHeard(heard.HeardText);
                break;
            case ErrorFrame error:
                await HandleFailureAsync(error.Source, error.Message).ConfigureAwait(false);
                return;
            case SpeculateReplyFrame speculate:
                if (_speculation is not null && !_humanOffered) _speculation.Start(speculate.Text, History, _chatOptions, lifetime);
                return;
            case UserStartedSpeakingFrame or UserResumedSpeakingFrame:
                _speculation?.Cancel();
                break;
            case DtmfFrame { Digit: '0' }:
                await InterruptDownstreamAsync().ConfigureAwait(false);
                await SpeakThenAsync(TransferPhrase, Transfer("caller pressed 0", null)).ConfigureAwait(false);
                break;
            case TransferUpdateFrame { Progress: TransferProgress.Refused } when direction == FrameDirection.Upstream:
                // Nobody can take the call: the caller hears so at once and the conversation goes on.
                Volatile.Write(ref _callEnding, 0);
                await SpeakThenAsync(options.TransferFailedLine, null).ConfigureAwait(false);
                break;
        }
        await PushFrameAsync(frame, direction).ConfigureAwait(false);
    }

    private async Task RespondAsync(UserTurnFrame turn, CancellationToken token)
    {
        var cause = new ReplyCause(turn.HandedOverAt != 0 ? turn.HandedOverAt : time.GetTimestamp(), turn.SttLatency);
        if (_humanOffered)
        {
            await AnswerHumanOfferAsync(turn.Text, cause).ConfigureAwait(false);
            return;
        }
        _speculated = _speculation?.Take(turn.Text, History);
        lock (_historyGate)
        {
            _history.Add(new ChatMessage(ChatRole.User, turn.Text));
            _replyText.Clear();
        }
        _replySpoke = false;
        _retryFillerSaid = false;
        _firstTokenMarked = false;
        _handOff = null;
        await PushFrameAsync(new AgentReplyStartedFrame(cause)).ConfigureAwait(false);
        try
        {
            for (var round = 0; round < MaxToolRounds; round++)
            {
                var calls = await StreamRoundWithRetryAsync(cause.HandedOverAt, token).ConfigureAwait(false);
                if (calls.Count == 0 || _handOff is not null) break;
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Agent reply failed");
            await ApologiseForReplyAsync(ex, token).ConfigureAwait(false);
            return;
        }

        _failedReplies = 0;
        token.ThrowIfCancellationRequested();
        bool silent;
        lock (_historyGate) silent = _replyText.Count == 0;
        // The caller always hears something before a hand-off: a model may end or transfer the call without a word.
        var closing = !silent ? null : _handOff switch
        {
            TransferCallFrame => "Let me connect you with one of our agents.",
            EndCallFrame => options.ClosingLine,
            _ => null,
        };
        if (closing is not null)
        {
            AddAssistantText(closing);
            await PushFrameAsync(new SpeakSentenceFrame(closing)).ConfigureAwait(false);
        }
        await PushFrameAsync(AgentReplyEndedFrame.Instance).ConfigureAwait(false);
        var handOff = _handOff;
        _handOff = null;
        if (handOff is not null) await PushFrameAsync(handOff).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends a reply the agent could not finish, inside the same turn so the caller hears no gap: whatever words did
    /// arrive are spoken first (the splitter flushes them ahead of the phrase), then a short apology. A first failed
    /// reply asks the caller to say it again; a second one in a row offers a person.
    /// </summary>
    private async Task ApologiseForReplyAsync(Exception error, CancellationToken token)
    {
        observer.OnProviderFailure("llm", error.Message);
        token.ThrowIfCancellationRequested();
        string apology;
        if (++_failedReplies >= 2)
        {
            apology = options.Apology;
            _humanOffered = true;
        }
        else
        {
            apology = _replySpoke ? options.CutOffApology : options.NotUnderstoodApology;
        }
        AddAssistantText(apology);
        await PushFrameAsync(new SpeakSentenceFrame(apology)).ConfigureAwait(false);
        await PushFrameAsync(AgentReplyEndedFrame.Instance).ConfigureAwait(false);
    }

    /// <summary>
    /// A round that fails (error, cut stream, no first token in time, a stalled stream) before any of its words went
    /// out is asked again — the caller hears nothing twice. A retry the caller has already waited a while for is
    /// announced with the retry filler, so the silence stays short.
    /// </summary>
    private async Task<List<FunctionCallContent>> StreamRoundWithRetryAsync(long replyStartedAt, CancellationToken token)
    {
        for (var attempt = 1; ; attempt++)
        {
            _roundSpoke = false;
            try
            {
                return await StreamRoundAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!token.IsCancellationRequested && !_roundSpoke && attempt < options.LlmAttempts)
            {
                logger.LogWarning(ex, "Agent attempt {Attempt}/{Max} failed; asking again", attempt, options.LlmAttempts);
                if (!_retryFillerSaid && time.GetElapsedTime(replyStartedAt).TotalMilliseconds >= options.LlmRetryFillerAfterMs)
                {
                    _retryFillerSaid = true;
                    await PushFrameAsync(new SpeakSentenceFrame(options.RetryFiller)).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>One LLM round: streams text on, returns the tool calls it asked for (already run and recorded).</summary>
    private async Task<List<FunctionCallContent>> StreamRoundAsync(CancellationToken token)
    {
        ChatMessage[] messages;
        lock (_historyGate) messages = [.. _history];
        var calls = new List<FunctionCallContent>();
        var text = new StringBuilder();
        using var watchdog = new StallWatchdog(time, token);
        var stall = TimeSpan.FromMilliseconds(options.LlmStallTimeoutMs);
        var started = false;
        try
        {
            // Until the first words or tool call the deadline is fixed (Azure's empty filter chunks do not extend it);
            // after that each update must follow the last within the stall timeout.
            watchdog.Arm(TimeSpan.FromMilliseconds(options.LlmFirstTokenTimeoutMs));
            // The turn's first round may already be under way: a speculation on the same words (see SpeculativeReply).
            var stream = _speculated ?? chat.GetStreamingResponseAsync(messages, _chatOptions, watchdog.Token);
            _speculated = null;
            await foreach (var update in stream.WithCancellation(watchdog.Token).ConfigureAwait(false))
            {
                if (started) watchdog.Arm(stall);
                foreach (var content in update.Contents)
                {
                    if (content is TextContent { Text.Length: > 0 } piece)
                    {
                        started = true;
                        watchdog.Arm(stall);
                        text.Append(piece.Text);
                        token.ThrowIfCancellationRequested();
                        if (!_firstTokenMarked)
                        {
                            _firstTokenMarked = true;
                            await PushFrameAsync(new ReplyMarkFrame(ReplyMark.LlmFirstToken, time.GetTimestamp())).ConfigureAwait(false);
                        }
                        _roundSpoke = _replySpoke = true;
                        await PushFrameAsync(new LlmTextFrame(piece.Text)).ConfigureAwait(false);
                    }
                    else if (content is FunctionCallContent fc)
                    {
                        started = true;
                        watchdog.Arm(stall);
                        calls.Add(fc);
                    }
                }
            }
            watchdog.Disarm();
        }
        catch (Exception ex) when (watchdog.Expired && !token.IsCancellationRequested)
        {
            throw new TimeoutException(started ? "the agent's reply stalled" : "the agent did not start answering in time", ex);
        }
        finally
        {
            // Even a cut-off reply enters the history; the barge-in then trims it to what was heard.
            if (text.Length > 0) AddAssistantText(text.ToString());
        }

        if (calls.Count == 0) return calls;
        lock (_historyGate) _history.Add(new ChatMessage(ChatRole.Assistant, [.. calls]));
        foreach (var fc in calls)
        {
            var result = await InvokeToolAsync(fc, token).ConfigureAwait(false);
            var record = new ToolCallRecord(fc.Name, JsonSerializer.Serialize(fc.Arguments), result);
            _handOff ??= fc.Name switch
            {
                AgentTools.TransferToHuman => Transfer(Argument(fc, "reason") ?? "caller asked for a person", Argument(fc, "summary")),
                AgentTools.EndCall => new EndCallFrame(Argument(fc, "reason") ?? "conversation finished"),
                _ => null,
            };
            await PushFrameAsync(new ToolCalledFrame(record)).ConfigureAwait(false);
            observer.OnToolCall(record);
            lock (_historyGate) _history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(fc.CallId, result)]));
        }
        return calls;
    }

    private async Task<string> InvokeToolAsync(FunctionCallContent fc, CancellationToken token)
    {
        if (!_functions.TryGetValue(fc.Name, out var function))
            return JsonSerializer.Serialize(new { error = $"unknown tool {fc.Name}" });
        var invocation = function.InvokeAsync(new AIFunctionArguments(fc.Arguments), token).AsTask();
        if (!invocation.IsCompleted && options.FillerDelayMs > 0)
        {
            using var fillerCts = CancellationTokenSource.CreateLinkedTokenSource(token);
            var filler = Task.Delay(TimeSpan.FromMilliseconds(options.FillerDelayMs), time, fillerCts.Token);
            if (await Task.WhenAny(invocation, filler).ConfigureAwait(false) == filler && !token.IsCancellationRequested)
                await PushFrameAsync(new SpeakSentenceFrame(options.Filler)).ConfigureAwait(false);
            await fillerCts.CancelAsync().ConfigureAwait(false);
        }
        try
        {
            var result = await invocation.ConfigureAwait(false);
            return result switch
            {
                null => "null",
                JsonElement json => json.GetRawText(),
                string s => s,
                _ => JsonSerializer.Serialize(result),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Tool {Tool} failed", fc.Name);
            return JsonSerializer.Serialize(new { error = "the tool failed; apologise and offer a human agent" });
        }
    }

    private void AddAssistantText(string text)
    {
        var message = new ChatMessage(ChatRole.Assistant, text);
        lock (_historyGate)
        {
            _history.Add(message);
            _replyText.Add(message);
        }
    }

    private void TruncateToHeard(string heard)
    {
        lock (_historyGate)
        {
            if (_replyText.Count == 0) return;
            foreach (var extra in _replyText.Skip(1))
                _history.Remove(extra);
            var first = _replyText[0];
            if (string.IsNullOrWhiteSpace(heard)) _history.Remove(first);
            else first.Contents = [new TextContent(heard)];
            _replyText.Clear();
        }
    }
}
