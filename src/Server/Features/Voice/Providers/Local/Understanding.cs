using System.Globalization;
using System.Text.RegularExpressions;
using EstateVoice.Server.Features.Leads;

namespace EstateVoice.Server.Features.Voice.Providers.Local;

/// <summary>What the local agent understood from one caller utterance.</summary>
public sealed record Utterance
{
    public string? Intent { get; init; }
    public string? City { get; init; }
    public int? Bedrooms { get; init; }
    public decimal? BudgetMin { get; init; }
    public decimal? BudgetMax { get; init; }
    public string? PropertyType { get; init; }
    public string? Timeline { get; init; }
    public bool? PreApproved { get; init; }
    public string? Name { get; init; }
    public bool Yes { get; init; }
    public bool No { get; init; }
    public bool WantsHuman { get; init; }
    public bool DoNotCall { get; init; }
    /// <summary>The caller dialled us by mistake (or we reached someone who is not the lead).</summary>
    public bool WrongNumber { get; init; }
    /// <summary>The caller asks to be called back or to leave a message for a person.</summary>
    public bool WantsCallback { get; init; }
    public bool Goodbye { get; init; }
    public DayOfWeek? Day { get; init; }
    public int DayOffset { get; init; } = -1;
    public int? Hour { get; init; }
    public int Minute { get; init; }
}

/// <summary>Deterministic, forgiving parsing of what callers say (recogniser output is lower-case and unpunctuated).</summary>
public static partial class Understanding
{
    private static readonly string[] YesWords = ["yes", "yeah", "yep", "sure", "okay", "ok", "correct", "absolutely", "definitely", "please", "works", "sounds good", "that's right", "i am"];
    private static readonly string[] NoWords = ["no", "nope", "not really", "nah", "no thanks", "not yet", "not now", "not right now", "bad time"];

    public static bool IsYes(string text)
    {
        var t = " " + Normalise(text) + " ";
        return YesWords.Any(w => t.Contains(" " + w + " ", StringComparison.Ordinal)) && !IsNo(text);
    }

    public static bool IsNo(string text)
    {
        var t = " " + Normalise(text) + " ";
        return NoWords.Any(w => t.Contains(" " + w + " ", StringComparison.Ordinal));
    }

    private static string Normalise(string text) => string.Join(' ', SpokenNumbers.Words(text));

    public static Utterance Parse(string text, IReadOnlyList<string> cities, string? lastQuestion)
    {
        var words = SpokenNumbers.Words(text);
        var t = " " + string.Join(' ', words) + " ";
        var u = new Utterance
        {
            Intent = ParseIntent(words, t),
            City = cities.FirstOrDefault(c => t.Contains(" " + c.ToLowerInvariant() + " ", StringComparison.Ordinal)),
            PropertyType = ParsePropertyType(t),
            WantsHuman = HumanRegex().IsMatch(t),
            DoNotCall = DoNotCallRegex().IsMatch(t),
            WrongNumber = WrongNumberRegex().IsMatch(t),
            WantsCallback = CallbackRegex().IsMatch(t),
            Goodbye = GoodbyeRegex().IsMatch(t),
            Yes = IsYes(text),
            No = IsNo(text),
        };
        u = ParseNumbers(words, t, u);
        u = u with { Timeline = ParseTimeline(t), PreApproved = ParsePreApproval(t, u, lastQuestion) };
        u = u with { Name = ParseName(text, words, lastQuestion) };
        return ParseWhen(words, t, u);
    }

    /// <summary>
    /// The intent words come from <see cref="LeadIntents"/> (the table <c>update_lead</c> uses too); only the
    /// phrases that hint at an intent without naming it ("list my house", "looking for") are the local agent's own.
    /// </summary>
    private static string? ParseIntent(string[] words, string t)
    {
        var named = LeadIntents.Find(words);
        if (named == LeadIntent.Sell || SellHintRegex().IsMatch(t)) return LeadIntents.Name(LeadIntent.Sell);
        if (named == LeadIntent.Rent) return LeadIntents.Name(LeadIntent.Rent);
        if (named == LeadIntent.Buy || BuyHintRegex().IsMatch(t)) return LeadIntents.Name(LeadIntent.Buy);
        return null;
    }

    private static string? ParsePropertyType(string t) =>
        t.Contains(" condo", StringComparison.Ordinal) ? "Condo"
        : t.Contains(" townhouse", StringComparison.Ordinal) || t.Contains(" town home", StringComparison.Ordinal) ? "Townhouse"
        : t.Contains(" apartment", StringComparison.Ordinal) ? "Apartment"
        : t.Contains(" house ", StringComparison.Ordinal) || t.Contains(" home ", StringComparison.Ordinal) ? "House"
        : null;

    private static Utterance ParseNumbers(string[] words, string t, Utterance u)
    {
        int? bedrooms = null;
        decimal? min = null, max = null;
        foreach (var (value, start, end) in SpokenNumbers.All(words))
        {
            var next = end < words.Length ? words[end] : "";
            if (next.StartsWith("bed", StringComparison.Ordinal) || next is "br" || (next is "bedroom" or "bedrooms"))
            {
                if (value is > 0 and < 20) bedrooms = (int)value;
                continue;
            }
            var before = start > 0 ? words[start - 1] : "";
            var money = value >= 10_000 || before.StartsWith('$') || next is "dollars" or "k" or "thousand";
            if (value is >= 1 and < 10 && next is "million" or "mil") money = true;
            if (!money || value < 10_000) continue;
            if (before is "between" or "from" || (before == "least" && start > 1)) min = value;
            else if (min is not null && max is null && before is "and" or "to") max = value;
            else max ??= value;
        }
        if (bedrooms is null && Regex.Match(t, @" (\d+) ?(bed|br)") is { Success: true } m)
            bedrooms = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return u with { Bedrooms = bedrooms, BudgetMin = min, BudgetMax = max };
    }

    private static string? ParseTimeline(string t)
    {
        var m = TimelineRegex().Match(t);
        if (m.Success) return m.Value.Trim();
        if (t.Contains(" asap ", StringComparison.Ordinal) || t.Contains(" as soon as possible ", StringComparison.Ordinal)) return "as soon as possible";
        if (t.Contains(" next year ", StringComparison.Ordinal)) return "next year";
        if (t.Contains(" just looking ", StringComparison.Ordinal) || t.Contains(" no rush ", StringComparison.Ordinal)) return "no rush";
        return null;
    }

    private static bool? ParsePreApproval(string t, Utterance u, string? lastQuestion)
    {
        var mentions = Regex.IsMatch(t, @" (pre ?-?approved|preapproved|pre approval|approved for a (loan|mortgage)|cash buyer|paying cash) ");
        if (mentions)
            return !Regex.IsMatch(t, @" (not|n't|haven't|have not|yet to) (been |yet |gotten |get )*(pre|approved)");
        if (lastQuestion?.Contains("pre-approved", StringComparison.OrdinalIgnoreCase) == true && (u.Yes || u.No))
            return u.Yes;
        return null;
    }

    private static string? ParseName(string text, string[] words, string? lastQuestion)
    {
        var m = NameRegex().Match(text);
        string? name = m.Success ? m.Groups["name"].Value : null;
        if (name is null && lastQuestion?.Contains("your name", StringComparison.OrdinalIgnoreCase) == true &&
            words.Length is > 0 and <= 3 && words.All(w => w.All(char.IsLetter)) && !IsYes(text) && !IsNo(text))
            name = string.Join(' ', words);
        if (name is null) return null;
        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3)
            .Where(p => p.Length > 0 && !StopNameWords.Contains(p.ToLowerInvariant()))
            .Select(p => char.ToUpperInvariant(p[0]) + p[1..].ToLowerInvariant());
        var result = string.Join(' ', parts);
        return result.Length == 0 ? null : result;
    }

    private static readonly HashSet<string> StopNameWords = ["and", "i", "im", "i'm", "looking", "calling", "interested", "the", "a"];

    private static Utterance ParseWhen(string[] words, string t, Utterance u)
    {
        DayOfWeek? day = null;
        var offset = -1;
        foreach (var d in Enum.GetValues<DayOfWeek>())
            if (t.Contains(" " + d.ToString().ToLowerInvariant() + " ", StringComparison.Ordinal)) day = d;
        if (t.Contains(" today ", StringComparison.Ordinal)) offset = 0;
        if (t.Contains(" tomorrow ", StringComparison.Ordinal)) offset = 1;

        int? hour = null;
        var minute = 0;
        if (t.Contains(" noon ", StringComparison.Ordinal)) hour = 12;
        for (var i = 0; i < words.Length && hour is null; i++)
        {
            if (words[i] is not ("at" or "around" or "by")) continue;
            var j = i + 1;
            if (SpokenNumbers.Read(words, ref j) is { } h && h is >= 1 and <= 12)
            {
                hour = (int)h;
                if (j < words.Length && SpokenNumbers.Read(words, ref j) is { } min && min is > 0 and < 60) minute = (int)min;
            }
        }
        var clock = Regex.Match(t, @" (\d{1,2})(?::(\d{2}))? ?(am|pm|a\.m|p\.m) ");
        if (clock.Success)
        {
            hour = int.Parse(clock.Groups[1].Value, CultureInfo.InvariantCulture);
            minute = clock.Groups[2].Success ? int.Parse(clock.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
        }
        if (hour is { } hr)
        {
            var pm = Regex.IsMatch(t, @" (pm|p\.m|afternoon|evening|tonight) ");
            var am = Regex.IsMatch(t, @" (am|a\.m|morning) ");
            if (pm && hr < 12) hr += 12;
            else if (!am && !pm && hr < 8) hr += 12; // "at three" means 3 pm for a showing
            hour = hr;
        }
        return u with { Day = day, DayOffset = offset, Hour = hour, Minute = minute };
    }

    /// <summary>The next date matching the day the caller named (today if none) at their hour, in the agency's time zone.</summary>
    public static DateTimeOffset? ResolveTime(Utterance u, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (u.Hour is null) return null;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var date = local.Date;
        if (u.DayOffset >= 0) date = date.AddDays(u.DayOffset);
        else if (u.Day is { } d)
        {
            var ahead = ((int)d - (int)local.DayOfWeek + 7) % 7;
            date = date.AddDays(ahead == 0 ? 7 : ahead);
        }
        var wall = date.AddHours(u.Hour.Value).AddMinutes(u.Minute);
        if (u.Day is null && u.DayOffset < 0 && wall <= local.DateTime) wall = wall.AddDays(1);
        return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
    }

    [GeneratedRegex(@" (list my|listing my|what could it be worth|worth) ")]
    private static partial Regex SellHintRegex();

    [GeneratedRegex(@" (looking for|shopping for|interested in a) ")]
    private static partial Regex BuyHintRegex();

    [GeneratedRegex(@" (talk|speak|connect me|transfer me|put me through)( to| with)? (a |an |the |some )?(real |actual |live )?(person|human|agent|someone|somebody|representative|realtor) | (real|live) person | human being ")]
    private static partial Regex HumanRegex();

    [GeneratedRegex(@" (do not|don't|dont|never|stop) call(ing)? me | (remove|take) me (off|from) | do not call list ")]
    private static partial Regex DoNotCallRegex();

    [GeneratedRegex(@" (wrong number|wrong person|misdial(l)?ed|dial(l)?ed the wrong|called the wrong|calling the wrong|(no one|nobody|no-one)( here)? (by|with|called) that name|not who you('re| are) looking for) ")]
    private static partial Regex WrongNumberRegex();

    [GeneratedRegex(@" (call me back|calls? (me )?back|callback|call back|leave (a |them a |him a |her a )?message|take (a )?message|get back to me) ")]
    private static partial Regex CallbackRegex();

    [GeneratedRegex(@" (bye|goodbye|that's all|that is all|that's it|no thanks|no thank you|have a good (day|one)) ")]
    private static partial Regex GoodbyeRegex();

    [GeneratedRegex(@" (within|in|next|over the next) (a |one |two |three |four |five |six |seven |eight |nine |ten |twelve |\d+ |a few |a couple of |couple of )?(weeks?|months?|years?)( or so)? ")]
    private static partial Regex TimelineRegex();

    [GeneratedRegex(@"(?:my name is|my name's|call me|name is|^\s*(?:hi,?\s*|hello,?\s*)?this is)\s+(?<name>[A-Za-z][A-Za-z'\-]*(?:\s+[A-Za-z][A-Za-z'\-]*){0,2})", RegexOptions.IgnoreCase)]
    private static partial Regex NameRegex();
}
