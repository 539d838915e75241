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
/// offer of a human; DTMF 0 transfers at once.
/// </summary>
public sealed class LlmStage(
    IChatClient chat,
    IList<AITool> tools,
    AgentCallContext call,
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

    public IReadOnlyList<ChatMessage> History
    {
        get { lock (_historyGate) return [.. _history]; }
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
            case DtmfFrame { Digit: '0' }:
                await InterruptDownstreamAsync().ConfigureAwait(false);
                await SpeakThenAsync("Connecting you with one of our agents now.", new TransferCallFrame("caller pressed 0")).ConfigureAwait(false);
                break;
        }
        await PushFrameAsync(frame, direction).ConfigureAwait(false);
    }

    private async Task RespondAsync(UserTurnFrame turn, CancellationToken token)
    {
        var timings = new ReplyTimings { UserEnd = turn.End, SttLatency = turn.SttLatency, StartedAt = turn.HandedOverAt };
        if (_humanOffered)
        {
            await AnswerHumanOfferAsync(turn.Text).ConfigureAwait(false);
            return;
        }
        lock (_historyGate)
        {
            _history.Add(new ChatMessage(ChatRole.User, turn.Text));
            _replyText.Clear();
        }
        await PushFrameAsync(new AgentReplyStartedFrame(timings)).ConfigureAwait(false);
        try
        {
            for (var round = 0; round < MaxToolRounds; round++)
            {
                var calls = await StreamRoundAsync(timings, token).ConfigureAwait(false);
                if (calls.Count == 0 || call.PendingAction != AgentAction.None) break;
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Agent reply failed");
            await HandleFailureAsync("llm", ex.Message).ConfigureAwait(false);
            token.ThrowIfCancellationRequested();
            await PushFrameAsync(new AgentReplyEndedFrame(timings)).ConfigureAwait(false);
            return;
        }

        token.ThrowIfCancellationRequested();
        bool silent;
        lock (_historyGate) silent = _replyText.Count == 0;
        if (silent && call.PendingAction == AgentAction.Transfer)
            await PushFrameAsync(new SpeakSentenceFrame("Let me connect you with one of our agents.")).ConfigureAwait(false);
        await PushFrameAsync(new AgentReplyEndedFrame(timings)).ConfigureAwait(false);
        await PushPendingActionAsync().ConfigureAwait(false);
    }

    /// <summary>One LLM round: streams text on, returns the tool calls it asked for (already run and recorded).</summary>
    private async Task<List<FunctionCallContent>> StreamRoundAsync(ReplyTimings timings, CancellationToken token)
    {
        ChatMessage[] messages;
        lock (_historyGate) messages = [.. _history];
        var calls = new List<FunctionCallContent>();
        var text = new StringBuilder();
        try
        {
            await foreach (var update in chat.GetStreamingResponseAsync(messages, _chatOptions, token).ConfigureAwait(false))
            {
                foreach (var content in update.Contents)
                {
                    if (content is TextContent { Text.Length: > 0 } piece)
                    {
                        timings.LlmFirstTokenAt ??= time.GetTimestamp();
                        text.Append(piece.Text);
                        token.ThrowIfCancellationRequested();
                        await PushFrameAsync(new LlmTextFrame(piece.Text)).ConfigureAwait(false);
                    }
                    else if (content is FunctionCallContent fc)
                    {
                        calls.Add(fc);
                    }
                }
            }
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
            timings.ToolCalls.Add(record);
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

    private async ValueTask HandleFailureAsync(string source, string message)
    {
        observer.OnProviderFailure(source, message);
        // One apology per call; after that a failing provider just hands the caller to a person.
        if (Interlocked.Exchange(ref _failed, 1) == 1 || source is "stt" or "tts")
        {
            var words = source == "tts" ? null : "Sorry, I'm having a technical problem. Let me connect you with one of our agents.";
            await SpeakThenAsync(words, new TransferCallFrame($"{source} failure")).ConfigureAwait(false);
            return;
        }
        _humanOffered = true;
        await SpeakThenAsync(options.Apology, null).ConfigureAwait(false);
    }

    private async Task AnswerHumanOfferAsync(string answer)
    {
        _humanOffered = false;
        var yes = Providers.Local.Understanding.IsYes(answer) || answer.Contains("person", StringComparison.OrdinalIgnoreCase) ||
                  answer.Contains("agent", StringComparison.OrdinalIgnoreCase);
        if (yes)
            await SpeakThenAsync("Okay, connecting you with one of our agents now.", new TransferCallFrame("provider failure; caller accepted a human")).ConfigureAwait(false);
        else
            await SpeakThenAsync($"No problem. You can also reach our office at {options.OfficePhone}. Goodbye.", new EndCallFrame("provider failure")).ConfigureAwait(false);
    }

    private async ValueTask SpeakThenAsync(string? words, Frame? then)
    {
        var timings = new ReplyTimings { StartedAt = time.GetTimestamp() };
        await PushFrameAsync(new AgentReplyStartedFrame(timings)).ConfigureAwait(false);
        if (words is not null)
        {
            AddAssistantText(words);
            await PushFrameAsync(new SpeakSentenceFrame(words)).ConfigureAwait(false);
        }
        await PushFrameAsync(new AgentReplyEndedFrame(timings)).ConfigureAwait(false);
        if (then is not null) await PushFrameAsync(then).ConfigureAwait(false);
    }

    private ValueTask PushPendingActionAsync()
    {
        var action = call.PendingAction;
        call.PendingAction = AgentAction.None;
        return action switch
        {
            AgentAction.Transfer => PushFrameAsync(new TransferCallFrame(call.ActionReason ?? "caller asked for a person")),
            AgentAction.EndCall => PushFrameAsync(new EndCallFrame(call.ActionReason ?? "conversation finished")),
            _ => ValueTask.CompletedTask,
        };
    }
}
