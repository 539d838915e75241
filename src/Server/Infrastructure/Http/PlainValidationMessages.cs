using System.Globalization;
using System.Text.RegularExpressions;

namespace EstateVoice.Server.Infrastructure.Http;

/// <summary>
/// The framework's validation and binding messages name C# members and types ("The SquareFeet field is required.",
/// "Failed to bind parameter \"Nullable&lt;decimal&gt; MinPrice\" from \"abc\"."). The web app shows them next to the
/// field, so they are said again in plain words about the field the client knows ("Square feet is required.",
/// "Min price must be a number."). Messages the features wrote themselves pass through unchanged.
/// </summary>
internal static partial class PlainValidationMessages
{
    public static void Rewrite(IDictionary<string, string[]> errors)
    {
        foreach (var (field, messages) in errors.ToList())
            errors[field] = [.. messages.Select(m => Rewrite(field, m))];
    }

    public static string Rewrite(string field, string message)
    {
        var label = Label(field);
        if (Required().IsMatch(message)) return $"{label} is required.";
        if (Range().Match(message) is { Success: true } range) return $"{label} must be between {range.Groups[1].Value} and {range.Groups[2].Value}.";
        if (MaxLength().Match(message) is { Success: true } max) return $"{label} must be at most {max.Groups[1].Value} characters.";
        if (MinLength().Match(message) is { Success: true } min) return $"{label} must be at least {min.Groups[1].Value} characters.";
        if (Email().IsMatch(message)) return $"{label} is not a valid email address.";
        if (Bind().Match(message) is { Success: true } bind) return $"{label} {Expected(bind.Groups[1].Value)} (got \"{bind.Groups[2].Value}\").";
        return message;
    }

    /// <summary>"square_feet" → "Square feet"; "items[0].city" → "City".</summary>
    private static string Label(string field)
    {
        var last = field[(field.LastIndexOf('.') + 1)..];
        var bracket = last.IndexOf('[', StringComparison.Ordinal);
        if (bracket >= 0) last = last[..bracket];
        var words = last.Replace('_', ' ').Trim();
        return words.Length == 0 ? "This value" : char.ToUpper(words[0], CultureInfo.InvariantCulture) + words[1..];
    }

    /// <summary>What a query or route value of this C# type must look like, as a person would say it.</summary>
    private static string Expected(string type)
    {
        var bare = type.StartsWith("Nullable<", StringComparison.Ordinal) ? type[9..^1] : type.TrimEnd('?');
        return bare switch
        {
            "int" or "long" or "short" or "Int32" or "Int64" => "must be a whole number",
            "decimal" or "double" or "float" or "Decimal" or "Double" => "must be a number",
            "bool" or "Boolean" => "must be true or false",
            "DateTimeOffset" or "DateTime" => "must be a date and time, e.g. 2026-12-31T09:00:00Z",
            "DateOnly" => "must be a date, e.g. 2026-12-31",
            "TimeOnly" => "must be a time, e.g. 09:30",
            "Guid" => "must be an id like 3f2b8c1e-…",
            _ => "is not one of the accepted values",
        };
    }

    [GeneratedRegex(@"^The \w+ field is required\.$")]
    private static partial Regex Required();

    [GeneratedRegex(@"^The field \w+ must be between (.+) and (.+)\.$")]
    private static partial Regex Range();

    [GeneratedRegex(@"^The field \w+ must be a string (?:or array type )?with a (?:minimum length of '?\d+'? and a )?maximum length of '?(\d+)'?\.$")]
    private static partial Regex MaxLength();

    [GeneratedRegex(@"^The field \w+ must be a string or array type with a minimum length of '(\d+)'\.$")]
    private static partial Regex MinLength();

    [GeneratedRegex(@"^The \w+ field is not a valid e-mail address\.$")]
    private static partial Regex Email();

    [GeneratedRegex("^Failed to bind parameter \"(.+) \\w+\" from \"(.*)\"\\.$")]
    private static partial Regex Bind();
}
