using System.Globalization;

namespace EstateVoice.Server.Features.Voice.Providers.Local;

/// <summary>Reads numbers the way callers say them: "six hundred thousand", "half a million", "1.2 million", "$500,000", "500k".</summary>
public static class SpokenNumbers
{
    private static readonly Dictionary<string, long> Units = new(StringComparer.OrdinalIgnoreCase)
    {
        ["zero"] = 0, ["one"] = 1, ["a"] = 1, ["an"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5,
        ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12,
        ["thirteen"] = 13, ["fourteen"] = 14, ["fifteen"] = 15, ["sixteen"] = 16, ["seventeen"] = 17, ["eighteen"] = 18,
        ["nineteen"] = 19, ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40, ["fifty"] = 50, ["sixty"] = 60,
        ["seventy"] = 70, ["eighty"] = 80, ["ninety"] = 90,
    };

    private static readonly Dictionary<string, long> Scales = new(StringComparer.OrdinalIgnoreCase)
    {
        ["hundred"] = 100, ["thousand"] = 1_000, ["k"] = 1_000, ["grand"] = 1_000, ["million"] = 1_000_000, ["mil"] = 1_000_000,
    };

    /// <summary>Lower-cased words with punctuation stripped (keeps digits, '.', '$', ',' inside numbers, apostrophes, hyphens split).</summary>
    public static string[] Words(string text)
    {
        var cleaned = new string([.. text.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) || c is '\'' or '.' or '$' or ',' ? c : ' ')]);
        return [.. cleaned.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Trim('.', ',', '\''))
            .Where(w => w.Length > 0)];
    }

    /// <summary>Reads a number starting at <paramref name="index"/>; advances past it. Null when no number starts there.</summary>
    public static decimal? Read(string[] words, ref int index)
    {
        var i = index;
        // "half a million"
        if (i + 2 < words.Length && words[i] == "half" && words[i + 1] is "a" or "an" && Scales.TryGetValue(words[i + 2], out var halfScale))
        {
            index = i + 3;
            return halfScale / 2m;
        }
        decimal total = 0, current = 0;
        var any = false;
        while (i < words.Length)
        {
            var w = words[i];
            if (TryDigits(w, out var digits))
            {
                current += digits;
                any = true;
            }
            else if (w is "a" or "an")
            {
                // "a hundred", "a million": only a number when a scale follows.
                if (i + 1 < words.Length && Scales.ContainsKey(words[i + 1])) { current += 1; any = true; }
                else break;
            }
            else if (Units.TryGetValue(w, out var unit))
            {
                current += unit;
                any = true;
            }
            else if (w == "point" && any && i + 1 < words.Length && Units.TryGetValue(words[i + 1], out var tenth) && tenth < 10)
            {
                current += tenth / 10m;
                i++;
            }
            else if (Scales.TryGetValue(w, out var scale) && any)
            {
                if (scale == 100) current = (current == 0 ? 1 : current) * 100;
                else
                {
                    total += (current == 0 ? 1 : current) * scale;
                    current = 0;
                }
            }
            else if (w == "and" && any && i + 1 < words.Length && (Units.ContainsKey(words[i + 1]) || TryDigits(words[i + 1], out _)))
            {
                // "six hundred and fifty thousand"
            }
            else if (w is "dollars" or "dollar" or "bucks")
            {
                i++;
                break;
            }
            else break;
            i++;
        }
        if (!any) return null;
        index = i;
        return total + current;
    }

    private static bool TryDigits(string word, out decimal value)
    {
        value = 0;
        var w = word.TrimStart('$').Replace(",", "", StringComparison.Ordinal);
        decimal multiplier = 1;
        if (w.EndsWith('k')) { multiplier = 1_000; w = w[..^1]; }
        else if (w.EndsWith('m')) { multiplier = 1_000_000; w = w[..^1]; }
        if (w.Length == 0 || !char.IsDigit(w[0])) return false;
        if (!decimal.TryParse(w, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)) return false;
        value = n * multiplier;
        return true;
    }

    /// <summary>All numbers in the text with the index of the word after each.</summary>
    public static IEnumerable<(decimal Value, int Start, int End)> All(string[] words)
    {
        for (var i = 0; i < words.Length;)
        {
            var start = i;
            if (Read(words, ref i) is { } n) yield return (n, start, i);
            else i++;
        }
    }
}
