using System.Collections.Frozen;
using System.Text;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// What a listener says to show they are following ("uh-huh", "okay", "I see"): said over the agent, it must not
/// cut the agent off. Anything else — and "no", "wait", "stop" in particular — is a real interruption.
/// </summary>
public static class Backchannel
{
    // Phrases after normalising (lower case, hyphens and punctuation as spaces). Recognisers spell the same
    // sound several ways ("mm-hmm", "mhm", "mmhmm"), so the common spellings are all here.
    private static readonly FrozenSet<string> Phrases = FrozenSet.ToFrozenSet(
    [
        "uh huh", "uhhuh", "uh hum", "mm hmm", "mm hm", "mhm", "mmhmm", "mhmm", "hmm", "hm", "mm", "mmm",
        "ok", "okay", "k", "yeah", "yes", "yep", "yup", "ya", "right", "sure", "alright", "all right",
        "i see", "got it", "gotcha", "cool", "great", "nice", "perfect", "exactly", "that's right", "sounds good",
        "oh", "ah", "uh", "um", "oh okay", "oh i see",
    ], StringComparer.Ordinal);

    private const int LongestPhraseWords = 3;

    /// <summary>True when the words are nothing but backchannel phrases (at least one word).</summary>
    public static bool IsBackchannel(string text)
    {
        var words = Words(text);
        if (words.Length == 0) return false;
        for (var i = 0; i < words.Length;)
        {
            var matched = 0;
            for (var n = Math.Min(LongestPhraseWords, words.Length - i); n > 0 && matched == 0; n--)
                if (Phrases.Contains(string.Join(' ', words, i, n))) matched = n;
            if (matched == 0) return false;
            i += matched;
        }
        return true;
    }

    private static string[] Words(string text)
    {
        var normalised = new StringBuilder(text.Length);
        foreach (var c in text)
            normalised.Append(char.IsLetter(c) ? char.ToLowerInvariant(c) : c is '\'' or '\u2019' ? '\'' : ' ');
        return normalised.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }
}
