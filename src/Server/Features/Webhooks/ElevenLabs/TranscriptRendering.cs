using System.Text;
using System.Text.RegularExpressions;
using EstateVoice.Server.Features.Calls;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

/// <summary>Transcript text as the Calls page shows it, and the caller's name when they said it.</summary>
public static partial class TranscriptRendering
{
    public static string Render(IEnumerable<TranscriptTurn> turns)
    {
        var text = new StringBuilder();
        foreach (var turn in turns)
        {
            if (text.Length > 0) text.Append('\n');
            text.Append(turn.Speaker switch { Speaker.Agent => "Agent", Speaker.Caller => "Caller", _ => "System" }).Append(": ").Append(turn.Text.Trim());
        }
        return text.ToString();
    }

    /// <summary>
    /// "my name is jane doe", "this is Jane", "I'm Jane Doe", "call me Jane" in what the caller said (the seed's
    /// _extract_username_from_transcript). "this is"/"I'm" need a capitalised name, so "I'm looking for…" is not a name.
    /// </summary>
    public static string? ExtractCallerName(IReadOnlyList<TranscriptTurn> turns, string? plainText)
    {
        var callerLines = turns.Count > 0
            ? turns.Where(t => t.Speaker == Speaker.Caller).Select(t => t.Text)
            : (plainText ?? "").Split('\n');
        foreach (var line in callerLines)
        {
            var match = NamePattern().Match(line);
            if (!match.Success) continue;
            var words = match.Groups["name"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .TakeWhile(w => !StopWords.Contains(w.ToLowerInvariant())).ToList();
            if (words.Count == 0) continue;
            return string.Join(' ', words.Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        }
        return null;
    }

    private static readonly HashSet<string> StopWords = ["and", "i", "i'm", "im", "calling", "from", "here", "the", "a", "looking", "interested", "just", "so", "but"];

    [GeneratedRegex(@"(?:\b(?i:my\s+name\s+is|my\s+name's|name's|call\s+me)\s+(?<name>[A-Za-z][A-Za-z'\-]+(?:\s+[A-Za-z][A-Za-z'\-]+){0,2}))|(?:\b(?i:this\s+is|i\s+am|i'm)\s+(?<name>[A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+){0,2}))")]
    private static partial Regex NamePattern();
}
