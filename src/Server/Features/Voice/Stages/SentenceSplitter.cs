using System.Text;
using EstateVoice.Server.Features.Voice.Pipeline;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// Cuts the streamed reply into sentences so speech synthesis starts on the first complete one instead of
/// waiting for the whole answer. Decimals ("2.5"), common abbreviations ("Dr.", "St.") and initials do not end a sentence.
/// </summary>
public sealed class SentenceSplitter : FrameProcessor
{
    private static readonly string[] Abbreviations = ["mr", "mrs", "ms", "dr", "st", "ave", "blvd", "rd", "no", "sq", "ft", "approx", "e.g", "i.e", "vs", "jr", "sr", "apt"];
    private readonly StringBuilder _pending = new();

    protected override async ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken replyToken)
    {
        switch (frame)
        {
            case LlmTextFrame text:
                _pending.Append(text.Text);
                while (NextSentence() is { } sentence)
                    await PushFrameAsync(new SpeakSentenceFrame(sentence)).ConfigureAwait(false);
                return;
            case SpeakSentenceFrame or AgentReplyEndedFrame or EndCallFrame or TransferCallFrame:
                // A fixed phrase or the end of the reply: whatever is pending is spoken first, in order.
                await FlushAsync().ConfigureAwait(false);
                break;
        }
        await PushFrameAsync(frame, direction).ConfigureAwait(false);
    }

    protected override ValueTask ProcessSystemFrameAsync(Frame frame, FrameDirection direction, CancellationToken lifetime)
    {
        if (frame is InterruptionFrame) _pending.Clear();
        return PushFrameAsync(frame, direction);
    }

    private async ValueTask FlushAsync()
    {
        var rest = _pending.ToString().Trim();
        _pending.Clear();
        if (rest.Length > 0)
            await PushFrameAsync(new SpeakSentenceFrame(rest)).ConfigureAwait(false);
    }

    /// <summary>Removes and returns the first complete sentence, if the buffer holds one.</summary>
    private string? NextSentence()
    {
        for (var i = 0; i < _pending.Length - 1; i++)
        {
            var c = _pending[i];
            if (c is not ('.' or '!' or '?' or ';' or ':')) continue;
            if (!char.IsWhiteSpace(_pending[i + 1])) continue;
            if (c == '.' && IsAbbreviationOrInitial(i)) continue;
            var sentence = _pending.ToString(0, i + 1).Trim();
            _pending.Remove(0, i + 1);
            if (sentence.Length > 0) return sentence;
            i = -1;
        }
        return null;
    }

    private bool IsAbbreviationOrInitial(int dot)
    {
        var start = dot;
        while (start > 0 && !char.IsWhiteSpace(_pending[start - 1])) start--;
        var word = _pending.ToString(start, dot - start).ToLowerInvariant();
        if (word.Length == 1 && char.IsLetter(word[0])) return true;
        return Array.IndexOf(Abbreviations, word) >= 0;
    }
}
