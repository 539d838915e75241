using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace EstateVoice.Server.Features.Voice.Providers.Local;

/// <summary>
/// The words a caller of a real-estate office is expected to say in answer to the agent's questions (intent, area,
/// bedrooms, budget, timeline, pre-approval, name, booking, hand-off, goodbye), plus the per-call domain words
/// (cities from the property table, agent and lead names) passed in <see cref="SpeechToTextOptions.Keywords"/>.
/// Constraining pocketsphinx to it is what makes 8 kHz phone audio usable offline.
/// </summary>
internal static partial class DomainVocabulary
{
    /// <summary>Domain words the CMU dictionary lacks, with ARPAbet pronunciations.</summary>
    public static readonly (string Word, string Phones)[] ExtraPronunciations =
    [
        ("pre-approved", "P R IY AH P R UW V D"),
        ("preapproved", "P R IY AH P R UW V D"),
        ("pre-approval", "P R IY AH P R UW V AH L"),
        ("mm-hmm", "M HH M"),
    ];

    private static readonly string[] BaseWords =
    [
        // yes / no / backchannels / politeness
        "yes", "yeah", "yep", "no", "nope", "not", "sure", "okay", "ok", "right", "correct", "maybe", "uh-huh", "mm-hmm", "um", "uh",
        "please", "thanks", "thank", "you", "hi", "hello", "hey", "bye", "goodbye", "good", "great", "fine", "perfect", "sorry",
        // pronouns, articles, glue
        "i", "i'm", "i'd", "i'll", "i've", "me", "my", "we", "we're", "we'd", "our", "us", "it", "it's", "its", "that", "that's", "this",
        "the", "a", "an", "and", "or", "but", "so", "of", "in", "on", "at", "to", "for", "from", "with", "about", "around", "under",
        "over", "below", "above", "between", "within", "than", "less", "more", "up", "is", "are", "was", "be", "been", "am", "do",
        "does", "did", "don't", "can", "can't", "could", "would", "will", "should", "have", "has", "just", "also", "too", "all",
        "what", "when", "where", "which", "how", "who", "there", "any", "some", "one's", "that'll", "works", "work", "is",
        // intents and property talk
        "looking", "look", "want", "wanna", "like", "love", "need", "buy", "buying", "sell", "selling", "rent", "renting", "lease",
        "invest", "move", "moving", "list", "listing", "price", "worth", "value", "estimate", "valuation", "market", "offer",
        "house", "home", "homes", "condo", "condos", "apartment", "townhouse", "townhome", "duplex", "property", "place", "lot",
        "land", "bedroom", "bedrooms", "bed", "beds", "bathroom", "bathrooms", "bath", "baths", "garage", "yard", "pool", "school",
        "schools", "downtown", "neighborhood", "area", "city", "suburb", "near", "close", "budget", "dollars", "dollar", "k",
        "mortgage", "loan", "cash", "pre-approved", "preapproved", "pre-approval", "approved", "lender", "bank", "financing",
        // timeline, booking
        "now", "soon", "asap", "today", "tomorrow", "tonight", "week", "weeks", "month", "months", "year", "years", "next", "this",
        "day", "days", "time", "morning", "afternoon", "evening", "noon", "am", "pm", "o'clock", "half", "quarter", "past",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekend", "january", "february", "march",
        "april", "may", "june", "july", "august", "september", "october", "november", "december", "see", "visit", "tour", "showing",
        "book", "schedule", "appointment", "available", "free", "works", "fine", "then", "first", "second", "third",
        // names, hand-off, ending
        "name", "name's", "called", "call", "it's", "speak", "talk", "real", "person", "human", "agent", "someone", "somebody",
        "representative", "operator", "transfer", "number", "phone", "email", "later", "back", "again", "stop", "don't", "remove",
        "interested", "that's", "all", "nothing", "else", "done",
        // numbers
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
        "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty",
        "seventy", "eighty", "ninety", "hundred", "thousand", "million", "point", "and",
        // Texas metro areas the demo agency serves (cities from the property table also arrive as keywords)
        "austin", "dallas", "houston", "san", "antonio", "fort", "worth", "plano", "round", "rock", "georgetown", "cedar", "park",
    ];

    /// <summary>Vocabulary for one call: the base domain words plus the keywords' words, all lowercase and in the dictionary.</summary>
    public static IReadOnlyList<string> Build(IEnumerable<string>? keywords, Func<string, bool> isPronounceable)
    {
        var words = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var word in BaseWords.Concat((keywords ?? []).SelectMany(Words)))
        {
            var w = word.ToLowerInvariant();
            if (isPronounceable(w)) words.Add(w);
        }
        return words.ToList();
    }

    /// <summary>Lowercase words of a phrase, keeping inner apostrophes and hyphens ("I'm", "pre-approved").</summary>
    public static IEnumerable<string> Words(string text) =>
        WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value);

    [GeneratedRegex(@"[a-z0-9]+(?:['\-][a-z0-9]+)*")]
    private static partial Regex WordPattern();
}

/// <summary>The CMU pronouncing dictionary's words (read once; 135k entries), to keep unknown words out of grammars.</summary>
internal static class PronouncingDictionary
{
    private static readonly Dictionary<string, FrozenSet<string>> Cache = new();

    public static FrozenSet<string> Load(string path)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(path, out var known)) return known;
            var words = File.ReadLines(path)
                .Select(line => line.Split(' ', 2)[0])
                .Select(word => word.Contains('(') ? word[..word.IndexOf('(')] : word) // alternates: "read(2)"
                .Concat(DomainVocabulary.ExtraPronunciations.Select(e => e.Word))
                .ToFrozenSet(StringComparer.Ordinal);
            Cache[path] = words;
            return words;
        }
    }
}
