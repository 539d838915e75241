using System.Globalization;
using System.Text;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// The sentences of the agent turn being spoken: where each ends in the turn's audio (in 20 ms frames) and the
/// Twilio <c>mark</c> that reports it played. Works out what the caller heard. Twilio echoes a mark both when its
/// audio has played and when a <c>clear</c> discards it, so a barge-in pause forgets the marks it cleared; they are
/// sent again, under new names, when their audio is re-sent. Not thread-safe: the output stage guards it.
/// </summary>
internal sealed class SpokenSentences
{
    private sealed class Sentence(string text, int startFrame, int endFrame)
    {
        public string Text { get; } = text;
        public int StartFrame { get; } = startFrame;
        public int EndFrame { get; } = endFrame;
        /// <summary>The live mark's name; null until it is sent (or after a clear discarded it).</summary>
        public string? Mark { get; set; }
        public bool Played { get; set; }
    }

    private readonly List<Sentence> _sentences = [];
    // The sentence whose audio is arriving (its end, so its length, not known yet), and the frame it starts at.
    private string? _unfinished;
    private int _unfinishedStart;
    private readonly StringBuilder _fullText = new();
    private int _unmarked;
    // Per call, not per turn: a late echo from an earlier turn or a cleared mark never matches a live one.
    private int _markCounter;

    public int Count => _sentences.Count;

    public string FullText => _fullText.ToString();

    /// <summary>A sentence's audio, up to <paramref name="endFrame"/> of the turn, has been produced; its mark is due once that frame has gone out.</summary>
    public void Add(string text, int endFrame)
    {
        _unfinished = null;
        var start = _sentences.Count > 0 ? _sentences[^1].EndFrame : 0;
        _sentences.Add(new Sentence(text, start, endFrame));
        _unmarked++;
        if (_fullText.Length > 0) _fullText.Append(' ');
        _fullText.Append(text);
    }

    /// <summary>A sentence's first audio is about to go out at <paramref name="startFrame"/> of the turn.</summary>
    public void Begin(string text, int startFrame)
    {
        _unfinished = text;
        _unfinishedStart = startFrame;
    }

    /// <summary>
    /// The call ends while a sentence's audio is still arriving: if the caller heard any of it (play position past its
    /// start), it counts as said, whole — its length is unknown, so no share of its words can be worked out — and the
    /// turn is saved as interrupted. A sentence none of which was heard is dropped.
    /// </summary>
    public void EndUnfinished(double heardFrames)
    {
        if (_unfinished is not { } text || heardFrames <= _unfinishedStart) return;
        Add(text, Math.Max(_unfinishedStart + 1, (int)Math.Floor(heardFrames)));
    }

    /// <summary>
    /// A barge-in cuts a sentence whose audio is still arriving (the whole first sentence of a reply plays before its
    /// end is known, so this is the common case): its length is taken as the longer of the audio that has arrived and
    /// an estimate from its text, so the words heard are worked out in proportion, as for a finished sentence.
    /// </summary>
    public void CutUnfinished(double heardFrames, int arrivedFrames)
    {
        if (_unfinished is not { } text || heardFrames <= _unfinishedStart) return;
        var estimated = _unfinishedStart + (int)Math.Ceiling(text.Length * FramesPerCharacter);
        Add(text, Math.Max(Math.Max(arrivedFrames, estimated), _unfinishedStart + 1));
    }

    // About 14 characters a second, the pace of the TTS voices used (Deepgram Aura, espeak-ng at its default rate).
    private const double FramesPerCharacter = 1000.0 / MuLaw.FrameMs / 14;

    /// <summary>Names the mark of the first sentence whose audio has gone out in full (up to <paramref name="sentFrames"/>) and that has no live mark; null when none is due.</summary>
    public string? NextDueMark(int sentFrames)
    {
        if (_unmarked == 0) return null;
        foreach (var s in _sentences)
        {
            if (s.Mark is not null) continue;
            if (s.EndFrame > sentFrames) return null;
            s.Mark = "s" + (++_markCounter).ToString(CultureInfo.InvariantCulture);
            _unmarked--;
            return s.Mark;
        }
        return null;
    }

    public void MarkPlayed(string name)
    {
        foreach (var s in _sentences)
            if (s.Mark == name) s.Played = true;
    }

    /// <summary>Audio known to have played from the echoed marks, in frames.</summary>
    public int PlayedFramesByMarks()
    {
        var played = 0;
        foreach (var s in _sentences)
        {
            if (!s.Played) break;
            played = s.EndFrame;
        }
        return played;
    }

    /// <summary>A <c>clear</c> discarded everything after <paramref name="heardFrame"/>: the marks of sentences ending later will come back unplayed.</summary>
    public void ForgetMarksAfter(int heardFrame)
    {
        foreach (var s in _sentences)
        {
            if (s.EndFrame <= heardFrame) continue;
            if (s.Mark is not null) _unmarked++;
            s.Mark = null;
            s.Played = false;
        }
    }

    /// <summary>Whole sentences played, plus the words of the sentence in progress in proportion to its play time.</summary>
    public string HeardText(double playedFrames)
    {
        var heard = new StringBuilder();
        foreach (var s in _sentences)
        {
            if (s.EndFrame <= playedFrames + 0.05)
            {
                Append(heard, s.Text);
                continue;
            }
            var fraction = (playedFrames - s.StartFrame) / Math.Max(1, s.EndFrame - s.StartFrame);
            var words = s.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var count = (int)Math.Floor(words.Length * fraction);
            if (count > 0) Append(heard, string.Join(' ', words.Take(count)));
            break;
        }
        return heard.ToString();

        static void Append(StringBuilder sb, string text)
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(text);
        }
    }

    public void Clear()
    {
        _sentences.Clear();
        _fullText.Clear();
        _unmarked = 0;
        _unfinished = null;
    }
}
