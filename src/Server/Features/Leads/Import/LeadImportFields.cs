using System.ComponentModel.DataAnnotations;
using System.Globalization;
using EstateVoice.Server.Infrastructure.Http;

namespace EstateVoice.Server.Features.Leads.Import;

/// <summary>One problem with one imported row: its spreadsheet row number (the header is row 1), the lead field, why.</summary>
public sealed record LeadImportError(int Row, string Field, string Message);

/// <summary>
/// The lead fields a CSV column can be mapped to, and how a cell becomes that field. The names are the API's own
/// (snake_case), so a file exported with those headers maps itself.
/// </summary>
public static class LeadImportFields
{
    public const string Name = "name", Phone = "phone";

    private delegate string? Setter(Lead lead, string value, LeadImportContext context);

    private static readonly EmailAddressAttribute EmailCheck = new();

    private static readonly Dictionary<string, Setter> Setters = new(StringComparer.OrdinalIgnoreCase)
    {
        [Name] = (l, v, _) => Text(v, 200, out var s) is { } e ? e : Set(() => l.Name = s),
        [Phone] = (l, v, c) => c.Phones.Normalize(v) is { } p ? Set(() => l.Phone = p) : PhoneNormalizer.Message,
        ["email"] = (l, v, _) => v.Length <= 254 && EmailCheck.IsValid(v) ? Set(() => l.Email = v) : "Not an email address.",
        ["intent"] = (l, v, _) => LeadIntents.Parse(v) is { } i ? Set(() => l.Intent = i) : "Intent is buy, sell or rent.",
        ["budget_min"] = (l, v, _) => Money(v, out var m) ? Set(() => l.BudgetMin = m) : MoneyMessage,
        ["budget_max"] = (l, v, _) => Money(v, out var m) ? Set(() => l.BudgetMax = m) : MoneyMessage,
        ["bedrooms"] = (l, v, _) => int.TryParse(v, CultureInfo.InvariantCulture, out var b) && b is >= 0 and <= 50
            ? Set(() => l.Bedrooms = b) : "Bedrooms is a whole number from 0 to 50.",
        ["timeline"] = (l, v, _) => Text(v, 100, out var s) is { } e ? e : Set(() => l.Timeline = s),
        ["pre_approved"] = (l, v, _) => YesNo(v) is { } b ? Set(() => l.PreApproved = b) : YesNoMessage,
        ["preferred_areas"] = (l, v, _) => Areas(v) is { } a ? Set(() => l.PreferredAreas = a) : "At most 20 areas of 100 characters each.",
        ["notes"] = (l, v, _) => Text(v, 4000, out var s) is { } e ? e : Set(() => l.Notes = s),
        ["consent_to_call"] = (l, v, _) => YesNo(v) is { } b ? Set(() => l.ConsentToCall = b) : YesNoMessage,
        ["consent_at"] = (l, v, _) => DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && InputLimits.IsTime(t)
            ? Set(() => l.ConsentAt = t.ToUniversalTime()) : "Not a date and time, e.g. 2026-03-01T14:30:00Z.",
        ["do_not_call"] = (l, v, _) => YesNo(v) is { } b ? Set(() => l.DoNotCall = b) : YesNoMessage,
        ["time_zone"] = (l, v, c) => v.Length <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(v, out _)
            ? Set(() => l.TimeZone = v) : "Not an IANA time zone such as America/Los_Angeles.",
        ["status"] = (l, v, _) => Enum.TryParse<LeadStatus>(v.Replace("_", ""), ignoreCase: true, out var s) && Enum.IsDefined(s)
            ? Set(() => l.Status = s) : "Status is one of new, contacted, qualified, showing, offer, won, lost.",
        ["source"] = (l, v, _) => Enum.TryParse<LeadSource>(v.Replace("_", ""), ignoreCase: true, out var s) && Enum.IsDefined(s)
            ? Set(() => l.Source = s) : "Source is one of inbound_call, outbound_call, website, referral, portal, walk_in, other.",
    };

    /// <summary>Every field a column can map to.</summary>
    public static IReadOnlyCollection<string> All => Setters.Keys;

    public static bool Exists(string field) => Setters.ContainsKey(field);

    /// <summary>Writes one non-empty cell to the lead; the message when the cell cannot be that field.</summary>
    public static string? Apply(Lead lead, string field, string value, LeadImportContext context) => Setters[field](lead, value, context);

    private const string MoneyMessage = "Not an amount of money between 0 and 1,000,000,000.";
    private const string YesNoMessage = "Write yes or no.";

    private static string? Set(Action set)
    {
        set();
        return null;
    }

    private static string? Text(string value, int max, out string text)
    {
        text = value;
        return value.Length <= max ? null : $"At most {max} characters.";
    }

    private static bool Money(string value, out decimal amount) =>
        decimal.TryParse(value.Replace("$", "").Replace(",", "").Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out amount)
        && InputLimits.IsMoney(amount);

    private static bool? YesNo(string value) => value.ToLowerInvariant() switch
    {
        "yes" or "y" or "true" or "1" or "x" => true,
        "no" or "n" or "false" or "0" => false,
        _ => null,
    };

    private static List<string>? Areas(string value)
    {
        var areas = value.Split([';', ',', '|'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        return areas.Count <= 20 && areas.TrueForAll(a => a.Length <= 100) ? areas : null;
    }
}
