using System.Text.RegularExpressions;

namespace EstateVoice.Server.Features.Voice.Providers.Local;

/// <summary>
/// What callers say to a real-estate office's phone agent, as templates: <c>(a|b)</c> picks one, <c>[x]</c> is
/// optional, <c>{slot}</c> is filled from the slot lists (cities and names from the call's keywords included).
/// Expanded with a fixed seed into a few thousand sentences that train the per-call language model.
/// </summary>
internal static partial class DomainCorpus
{
    private const int SamplesPerTemplate = 40;

    private static readonly string[] Templates =
    [
        // intent
        "[(hi|hello|hey)] [(yes|yeah)] i'm looking (for|to buy) a {n} bedroom {type} in {city} [under {price}]",
        "[(hi|hello)] i'm looking for a {type} (in|near|around) {city}",
        "[(hi|hello)] (i'm|we're) looking to (buy|rent|sell) a {type} [in {city}]",
        "i (want|need|would like) to (buy|sell|rent) (a|my) {type} [in {city}]",
        "i want to sell my {type} in {city} [what (could|would) it be worth]",
        "(what|how much) (could|would|is) (it|my {type}|my place) (be worth|worth)",
        "(we're|i'm) thinking about (selling|buying) [a {type}] [this year]",
        "i'd like to rent (an apartment|a {type}) in {city}",
        "i'm calling about the {type} (on|in) {city}",
        "(buy|buying|sell|selling|rent|renting)",
        // area, bedrooms, budget
        "[(somewhere|anywhere)] (in|near|around) {city}",
        "{city} [please]",
        "[at least] {n} (bedrooms|beds) [and {n} (bathrooms|baths)]",
        "{n} bedrooms",
        "(under|around|about|up to|less than|no more than) {price} [dollars]",
        "my budget is (about|around|under) {price} [dollars]",
        "{price} [dollars]",
        // timeline, pre-approval
        "[i'd like to move] (within|in) {when}",
        "(as soon as possible|no rush|i'm not sure yet|sometime {when})",
        "[(yes|yeah)] (i'm|we're|i am|we are) pre-approved [for {price}] [and i'd like to move within {when}]",
        "(no|not yet|no i'm not) [i'm (not|still) working on it]",
        "i'm paying (cash|with a mortgage)",
        // names
        "[(hi|yes)] my name is {first} {last}",
        "(it's|this is|i'm) {first} [{last}]",
        "{first} {last}",
        // booking
        "[(yes|yeah|sure)] {day} at {time} works [for me]",
        "(can|could) we do {day} [at {time}]",
        "how about {day} (morning|afternoon|evening)",
        "{day} at {time} [please]",
        "[(yes|yeah|sure)] that works [for me]",
        "{time} works for me",
        "(is it still available|can i see it [{day}]|when can i see it)",
        "(how many bedrooms does it have|what's the price|does it have a (pool|garage|yard))",
        // hand-off, do-not-call, ending
        "can i (talk|speak) to a (real person|human|real agent|person) [please]",
        "i (want|need|would like) to (talk|speak) to (someone|a person|an agent) [please]",
        "(transfer me to an agent|operator|representative|agent please)",
        "please (don't|do not) call me again",
        "(take me off your list|remove me from your list|stop calling me)",
        "[no] (thanks|thank you) that's (all|it) [(bye|goodbye)]",
        "(no thanks|no thank you) that's all [bye]",
        "(bye|goodbye|thanks bye|okay bye)",
        // backchannels and short answers
        "(uh-huh|okay|yeah|yes|no|mm-hmm|right|sure|ok|yep|nope|correct)",
        "(yes|yeah) (please|that's right|that's correct)",
    ];

    private static readonly Dictionary<string, string[]> Slots = new()
    {
        ["n"] = ["one", "two", "three", "four", "five", "six"],
        ["type"] = ["house", "home", "condo", "townhouse", "apartment", "duplex", "single family home", "place", "property"],
        ["price"] =
        [
            "{hundreds} hundred thousand", "{hundreds} hundred k", "{hundreds} fifty", "a million", "one point five million",
            "{hundreds} hundred and fifty thousand", "two million",
        ],
        ["hundreds"] = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
        ["day"] =
        [
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "tomorrow", "today", "this weekend",
            "next week", "this saturday", "next monday",
        ],
        ["time"] =
        [
            "{hour} in the morning", "{hour} in the afternoon", "{hour} in the evening", "{hour} o'clock", "{hour} am", "{hour} pm",
            "{hour} thirty", "noon",
        ],
        ["hour"] = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"],
        ["when"] =
        [
            "{n} months", "a month", "a year", "next month", "a few weeks", "a few months", "six months", "the spring", "the summer",
            "two weeks",
        ],
        // Common US first names and surnames (census top lists), so a new caller's name has a chance.
        ["first"] =
        [
            "james", "john", "robert", "michael", "william", "david", "richard", "joseph", "thomas", "charles", "daniel", "matthew",
            "anthony", "mark", "steven", "paul", "andrew", "joshua", "kevin", "brian", "mary", "patricia", "jennifer", "linda",
            "elizabeth", "barbara", "susan", "jessica", "sarah", "karen", "nancy", "lisa", "maria", "sandra", "ashley", "emily",
            "michelle", "laura", "anna", "carlos", "jose", "luis", "juan", "ana", "rosa", "sofia",
        ],
        ["last"] =
        [
            "smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez", "hernandez",
            "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin", "lee", "perez", "thompson",
            "white", "harris", "sanchez", "clark", "ramirez", "lewis", "robinson", "walker", "young", "allen", "king", "wright",
        ],
        ["city"] = ["austin", "dallas", "houston", "san antonio"],
    };

    /// <summary>The corpus for one call: keywords (cities from the property table, names) join the city and name slots.</summary>
    public static List<string[]> Sentences(IEnumerable<string>? keywords, Func<string, bool> isPronounceable)
    {
        var slots = Slots.ToDictionary(s => s.Key, s => s.Value.ToList());
        foreach (var keyword in keywords ?? [])
        {
            var words = DomainVocabulary.Words(keyword).ToList();
            if (words.Count == 0 || !words.All(isPronounceable)) continue;
            var phrase = string.Join(' ', words);
            slots["city"].Add(phrase);
            if (words.Count == 1) slots["first"].Add(phrase);
            else { slots["first"].Add(words[0]); slots["last"].Add(words[^1]); }
        }
        var random = new Random(20261125);
        var sentences = new HashSet<string>(StringComparer.Ordinal);
        foreach (var template in Templates)
        {
            for (var i = 0; i < SamplesPerTemplate; i++) sentences.Add(Expand(template, slots, random));
        }
        return sentences
            .Select(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(words => words.Length > 0 && words.All(isPronounceable))
            .ToList();
    }

    private static string Expand(string template, Dictionary<string, List<string>> slots, Random random)
    {
        var text = template;
        for (var guard = 0; guard < 50; guard++)
        {
            var before = text;
            text = Optional().Replace(text, m => random.Next(2) == 0 ? m.Groups[1].Value : "", 1);
            text = Choice().Replace(text, m => Pick(m.Groups[1].Value.Split('|'), random), 1);
            text = Slot().Replace(text, m => Pick(slots[m.Groups[1].Value], random), 1);
            if (text == before) break;
        }
        return MultipleSpaces().Replace(text, " ").Trim();
    }

    private static string Pick(IReadOnlyList<string> options, Random random) => options[random.Next(options.Count)];

    [GeneratedRegex(@"\[([^\[\]()]*)\]")] private static partial Regex Optional();
    [GeneratedRegex(@"\(([^()\[\]]*)\)")] private static partial Regex Choice();
    [GeneratedRegex(@"\{(\w+)\}")] private static partial Regex Slot();
    [GeneratedRegex(@"\s+")] private static partial Regex MultipleSpaces();
}
