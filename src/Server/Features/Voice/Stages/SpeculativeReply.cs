using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// One call's speculative reply: when the caller pauses, the agent's model is asked about the words heard so far
/// (the interim transcript) and its stream is held — nothing reaches the sentence splitter, the history or the saved
/// turns. When the turn's final transcript arrives, <see cref="Take"/> hands the held stream to the
/// <see cref="LlmStage"/> as its first round if the words match, and the reply goes on from there as if it had just
/// been asked, only with its first tokens already in. Otherwise (different words, the history moved on, the caller
/// went on talking) the request is cancelled and the turn is answered the normal way.
/// <para>
/// Tool calls: the held stream is only model output. Tools run in the <see cref="LlmStage"/> after the round's stream
/// has been taken, i.e. after the final confirmed the words, so a speculation never books, updates, transfers or
/// ends anything — and does not search either: a read-only search would save its latency on the few turns that
/// start with one, but would add database load on every discarded speculation and need its result kept out of the
/// history, for a gain the first round already gives.
/// </para>
/// </summary>
public sealed class SpeculativeReply(IChatClient chat, ILogger logger)
{
    // Same meter name as VoiceMetrics, so /metrics exports it with the other voice series; a meter of its own
    // because the LLM stage is built per call without the container (voice_speculations_total{result=...}).
    private static readonly Meter Meter = new(VoiceMetrics.MeterName);
    private static readonly Counter<long> Outcomes =
        Meter.CreateCounter<long>("voice.speculations", description: "Speculative replies by outcome: used, discarded (final differed), cancelled (caller went on)");

    private readonly Lock _gate = new();
    private Attempt? _current;

    /// <summary>
    /// Starts (or restarts, for newer words) a held request with <paramref name="text"/> as the caller's turn after
    /// <paramref name="history"/>, the agent's history as it is now.
    /// </summary>
    public void Start(string text, IReadOnlyList<ChatMessage> history, ChatOptions options, CancellationToken lifetime)
    {
        var words = Normalise(text);
        if (words.Length == 0) return;
        Attempt? replaced;
        Attempt attempt;
        lock (_gate)
        {
            if (_current is { Words: var running } && running == words && HistoryMatches(_current, history)) return;
            replaced = _current;
            _current = attempt = new Attempt(words, history, lifetime);
        }
        replaced?.Stop(Outcome.Cancelled);
        ChatMessage[] messages = [.. history, new ChatMessage(ChatRole.User, text)];
        // Off the frame path: the client builds and sends the request before its first await.
        _ = Task.Run(() => attempt.PumpAsync(chat, messages, options, logger), CancellationToken.None);
    }

    /// <summary>The caller went on talking: whatever was speculated answers words that are no longer the turn.</summary>
    public void Cancel()
    {
        Attempt? current;
        lock (_gate) (current, _current) = (_current, null);
        current?.Stop(Outcome.Cancelled);
    }

    /// <summary>
    /// The turn's final transcript is in: the held reply if it answered these words with this history (the caller
    /// hears it from its first token), else null — the speculation is cancelled and leaves no trace.
    /// </summary>
    /// <param name="history">The agent's history now, before the caller's turn is added to it.</param>
    public IAsyncEnumerable<ChatResponseUpdate>? Take(string finalText, IReadOnlyList<ChatMessage> history)
    {
        Attempt? current;
        lock (_gate) (current, _current) = (_current, null);
        if (current is null) return null;
        if (current.Words == Normalise(finalText) && HistoryMatches(current, history))
        {
            current.Record(Outcome.Used);
            return current.ReadAsync();
        }
        logger.LogDebug("Speculative reply discarded: it answered \"{Speculated}\", the caller said \"{Final}\"", current.Words, finalText);
        current.Stop(Outcome.Discarded);
        return null;
    }

    /// <summary>
    /// Case, punctuation and spacing aside, the words must be the same, in order. Interim and final transcripts of the
    /// same speech differ in exactly those (punctuation and capitals come with the final); any other difference is a
    /// different question ("can" / "can't", a number, a name) and a reply to it would answer words the caller did not
    /// say — and a discard only costs the time it would have saved. Apostrophes are dropped ("I'm" = "im"), other
    /// marks separate words ("uh-huh" = "uh huh").
    /// </summary>
    public static string Normalise(string text)
    {
        var words = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && words.Length > 0) words.Append(' ');
                pendingSpace = false;
                words.Append(char.ToLowerInvariant(c));
            }
            else if (c is not ('\'' or '’'))
            {
                pendingSpace = true;
            }
        }
        return words.ToString();
    }

    /// <summary>
    /// The speculation was asked with the history as it was; if anything changed since (a reply still being spoken
    /// went on, a barge-in trimmed it, an idle prompt was said) its answer is to another conversation.
    /// </summary>
    private static bool HistoryMatches(Attempt attempt, IReadOnlyList<ChatMessage> history)
    {
        if (attempt.History.Length != history.Count) return false;
        for (var i = 0; i < history.Count; i++)
        {
            var (message, text) = attempt.History[i];
            // The barge-in trim rewrites a message's contents in place: compare the text too.
            if (!ReferenceEquals(message, history[i]) || message.Text != text) return false;
        }
        return true;
    }

    private enum Outcome { Used, Discarded, Cancelled }

    /// <summary>One held request: its updates wait in a channel until taken or dropped.</summary>
    private sealed class Attempt
    {
        private readonly CancellationTokenSource _cts;
        private readonly Channel<ChatResponseUpdate> _held = Channel.CreateUnbounded<ChatResponseUpdate>(new UnboundedChannelOptions { SingleReader = true });
        private int _recorded;

        public Attempt(string words, IReadOnlyList<ChatMessage> history, CancellationToken lifetime)
        {
            Words = words;
            History = [.. history.Select(m => (m, m.Text))];
            _cts = CancellationTokenSource.CreateLinkedTokenSource(lifetime);
        }

        public string Words { get; }
        public (ChatMessage Message, string Text)[] History { get; }

        public async Task PumpAsync(IChatClient chat, ChatMessage[] messages, ChatOptions options, ILogger logger)
        {
            try
            {
                await foreach (var update in chat.GetStreamingResponseAsync(messages, options, _cts.Token).ConfigureAwait(false))
                    _held.Writer.TryWrite(update);
                _held.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                // A failure is the taker's to handle (the LLM stage retries a round that said nothing).
                if (!_cts.IsCancellationRequested) logger.LogDebug(ex, "Speculative request failed");
                _held.Writer.TryComplete(ex);
            }
            finally
            {
                // The pump is the token's last user; a later Stop or early exit finds it disposed and has nothing to do.
                _cts.Dispose();
            }
        }

        /// <summary>The held updates, then the live ones. Leaving early (a barge-in, a stall) cancels the request.</summary>
        public async IAsyncEnumerable<ChatResponseUpdate> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            try
            {
                await foreach (var update in _held.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                    yield return update;
            }
            finally
            {
                Cancel();
            }
        }

        public void Record(Outcome outcome)
        {
            if (Interlocked.Exchange(ref _recorded, 1) == 0)
                Outcomes.Add(1, new KeyValuePair<string, object?>("result", outcome.ToString().ToLowerInvariant()));
        }

        public void Stop(Outcome outcome)
        {
            Record(outcome);
            Cancel();
        }

        private void Cancel()
        {
            try { _cts.Cancel(); }
            catch (ObjectDisposedException) { } // the request had finished
        }
    }
}
