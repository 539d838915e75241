using System.Globalization;
using System.Text;

namespace EstateVoice.Server.Features.Voice.Providers.Local;

/// <summary>
/// A small trigram language model in ARPA text format, estimated from a sentence corpus with absolute discounting
/// and Katz-style back-off (the shape CMU's lmtool produces). Every vocabulary word gets unigram mass, so words
/// outside the sentences stay recognisable, just less likely.
/// </summary>
internal static class ArpaLanguageModel
{
    private const double Discount = 0.5;
    private const string Start = "<s>", End = "</s>";

    public static string Build(IEnumerable<string[]> sentences, IEnumerable<string> vocabulary)
    {
        var unigrams = new Dictionary<string, int>(StringComparer.Ordinal);
        var bigrams = new Dictionary<(string, string), int>();
        var trigrams = new Dictionary<(string, string, string), int>();
        foreach (var words in sentences)
        {
            var s = new string[words.Length + 2];
            s[0] = Start;
            words.CopyTo(s, 1);
            s[^1] = End;
            for (var i = 0; i < s.Length; i++)
            {
                Increment(unigrams, s[i]);
                if (i >= 1) Increment(bigrams, (s[i - 1], s[i]));
                if (i >= 2) Increment(trigrams, (s[i - 2], s[i - 1], s[i]));
            }
        }
        foreach (var word in vocabulary) unigrams.TryAdd(word, 0);

        // Unigrams: add-one so unseen vocabulary keeps some mass; <s> is never predicted.
        var predictable = unigrams.Where(u => u.Key != Start).ToList();
        double total = predictable.Sum(u => u.Value + 1);
        var p1 = predictable.ToDictionary(u => u.Key, u => (u.Value + 1) / total, StringComparer.Ordinal);

        var p2 = Discounted(bigrams, b => b.Item1, b => b.Item2);
        var bow1 = BackoffWeights(bigrams, b => b.Item1, b => b.Item2, p2, w => p1[w]);
        double P2(string h, string w) => p2.TryGetValue((h, w), out var p) ? p : bow1.GetValueOrDefault(h, 1) * p1[w];

        var p3 = Discounted(trigrams, t => (t.Item1, t.Item2), t => t.Item3);
        var bow2 = BackoffWeights(trigrams, t => (t.Item1, t.Item2), t => t.Item3, p3, (h, w) => P2(h.Item2, w));

        var arpa = new StringBuilder();
        arpa.Append("\\data\\\n")
            .Append(CultureInfo.InvariantCulture, $"ngram 1={unigrams.Count}\nngram 2={p2.Count}\nngram 3={p3.Count}\n\n\\1-grams:\n");
        arpa.Append(CultureInfo.InvariantCulture, $"-99.0000 {Start} {Log(bow1.GetValueOrDefault(Start, 1)):F4}\n");
        foreach (var (word, p) in p1.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            arpa.Append(CultureInfo.InvariantCulture, $"{Log(p):F4} {word}");
            if (word != End) arpa.Append(CultureInfo.InvariantCulture, $" {Log(bow1.GetValueOrDefault(word, 1)):F4}");
            arpa.Append('\n');
        }
        arpa.Append("\n\\2-grams:\n");
        foreach (var ((h, w), p) in p2.OrderBy(p => p.Key.Item1, StringComparer.Ordinal).ThenBy(p => p.Key.Item2, StringComparer.Ordinal))
        {
            arpa.Append(CultureInfo.InvariantCulture, $"{Log(p):F4} {h} {w}");
            if (w != End) arpa.Append(CultureInfo.InvariantCulture, $" {Log(bow2.GetValueOrDefault((h, w), 1)):F4}");
            arpa.Append('\n');
        }
        arpa.Append("\n\\3-grams:\n");
        foreach (var (((u, v), w), p) in p3.OrderBy(p => p.Key.Item1.Item1, StringComparer.Ordinal)
                     .ThenBy(p => p.Key.Item1.Item2, StringComparer.Ordinal).ThenBy(p => p.Key.Item2, StringComparer.Ordinal))
        {
            arpa.Append(CultureInfo.InvariantCulture, $"{Log(p):F4} {u} {v} {w}\n");
        }
        arpa.Append("\n\\end\\\n");
        return arpa.ToString();
    }

    /// <summary>p(w | h) = (c(h, w) - D) / c(h) for every seen pair.</summary>
    private static Dictionary<(TContext, string), double> Discounted<TKey, TContext>(
        Dictionary<TKey, int> counts, Func<TKey, TContext> context, Func<TKey, string> word) where TKey : notnull where TContext : notnull
    {
        var contextTotals = new Dictionary<TContext, int>();
        foreach (var (key, count) in counts) contextTotals[context(key)] = contextTotals.GetValueOrDefault(context(key)) + count;
        return counts.ToDictionary(c => (context(c.Key), word(c.Key)), c => (c.Value - Discount) / contextTotals[context(c.Key)]);
    }

    /// <summary>bow(h) = (mass left by discounting) / (lower-order mass of the words not seen after h).</summary>
    private static Dictionary<TContext, double> BackoffWeights<TKey, TContext>(Dictionary<TKey, int> counts, Func<TKey, TContext> context,
        Func<TKey, string> word, Dictionary<(TContext, string), double> probabilities, Func<TContext, string, double> lower)
        where TKey : notnull where TContext : notnull
    {
        var result = new Dictionary<TContext, double>();
        foreach (var group in counts.Keys.GroupBy(context))
        {
            var seen = group.Select(word).ToList();
            var left = 1 - seen.Sum(w => probabilities[(group.Key, w)]);
            var lowerSeen = seen.Sum(w => lower(group.Key, w));
            result[group.Key] = lowerSeen >= 1 ? 1e-6 : Math.Max(1e-6, left / (1 - lowerSeen));
        }
        return result;
    }

    private static Dictionary<TContext, double> BackoffWeights<TKey, TContext>(Dictionary<TKey, int> counts, Func<TKey, TContext> context,
        Func<TKey, string> word, Dictionary<(TContext, string), double> probabilities, Func<string, double> lower)
        where TKey : notnull where TContext : notnull =>
        BackoffWeights(counts, context, word, probabilities, (_, w) => lower(w));

    private static void Increment<T>(Dictionary<T, int> counts, T key) where T : notnull => counts[key] = counts.GetValueOrDefault(key) + 1;

    private static double Log(double p) => Math.Log10(Math.Max(p, 1e-99));
}
