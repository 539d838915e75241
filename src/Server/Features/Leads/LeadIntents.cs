using System.Collections.Frozen;

namespace EstateVoice.Server.Features.Leads;

/// <summary>
/// The words for what a lead wants (buy, sell, rent): the one table behind the agent's <c>update_lead</c> argument
/// and the offline agent's reading of what callers say.
/// </summary>
public static class LeadIntents
{
    private static readonly FrozenDictionary<string, LeadIntent> Synonyms = new Dictionary<string, LeadIntent>(StringComparer.OrdinalIgnoreCase)
    {
        ["buy"] = LeadIntent.Buy, ["buying"] = LeadIntent.Buy, ["purchase"] = LeadIntent.Buy, ["purchasing"] = LeadIntent.Buy,
        ["sell"] = LeadIntent.Sell, ["selling"] = LeadIntent.Sell,
        ["rent"] = LeadIntent.Rent, ["renting"] = LeadIntent.Rent, ["rental"] = LeadIntent.Rent, ["lease"] = LeadIntent.Rent,
        ["leasing"] = LeadIntent.Rent,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>One word ("buying", " Lease ") as an intent; null for anything else.</summary>
    public static LeadIntent? Parse(string? word) =>
        word is not null && Synonyms.TryGetValue(word.Trim(), out var intent) ? intent : null;

    /// <summary>
    /// The intent named among <paramref name="words"/>; when several are, selling wins over renting over buying
    /// ("sell my house and buy a smaller one" is a seller first: the listing is what the agency can act on).
    /// </summary>
    public static LeadIntent? Find(IEnumerable<string> words)
    {
        LeadIntent? found = null;
        foreach (var word in words)
        {
            if (Parse(word) is not { } intent) continue;
            if (found is null || Rank(intent) < Rank(found.Value)) found = intent;
        }
        return found;
    }

    /// <summary>The lower-case name the agent's tools and the local agent use ("buy", "sell", "rent").</summary>
    public static string Name(LeadIntent intent) => intent switch
    {
        LeadIntent.Buy => "buy",
        LeadIntent.Sell => "sell",
        _ => "rent",
    };

    private static int Rank(LeadIntent intent) => intent switch
    {
        LeadIntent.Sell => 0,
        LeadIntent.Rent => 1,
        _ => 2,
    };
}
