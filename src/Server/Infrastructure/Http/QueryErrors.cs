using System.Globalization;
using System.Text.Json;
using EstateVoice.Server.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EstateVoice.Server.Infrastructure.Http;

/// <summary>
/// Collects problems with query-string values (unknown enum names, unparseable dates, bad sort keys) so a list
/// endpoint answers one 400 naming every offending parameter.
/// </summary>
public sealed class QueryErrors
{
    private readonly Dictionary<string, string[]> errors = [];

    public bool Any => errors.Count > 0;

    public void Add(string field, string message) =>
        errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    public ValidationProblem ToProblem() => Problems.Validation(errors);

    /// <summary>Parses a snake_case enum name ("off_market", "in_progress") as the JSON bodies spell them.</summary>
    public TEnum? Enum<TEnum>(string field, string? value) where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (SnakeCaseEnum.TryParse<TEnum>(value, out var parsed)) return parsed;
        Add(field, $"'{Truncate(value)}' is not one of: {string.Join(", ", SnakeCaseEnum.Names<TEnum>())}.");
        return null;
    }

    /// <summary>ISO-8601 date or date-time, read as UTC when it carries no offset, within <see cref="InputLimits"/>.</summary>
    public DateTimeOffset? Time(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            Add(field, $"'{Truncate(value)}' is not an ISO-8601 date or date-time.");
            return null;
        }
        if (!InputLimits.IsTime(parsed))
        {
            Add(field, $"{field} must be between {InputLimits.MinTime:yyyy-MM-dd} and {InputLimits.MaxTime:yyyy-MM-dd}.");
            return null;
        }
        return parsed.ToUniversalTime();
    }

    /// <summary>An end bound (<c>to</c>): as <see cref="Time"/>, but a bare date (2026-11-25) includes that whole day.</summary>
    public DateTimeOffset? EndTime(string field, string? value)
    {
        var end = Time(field, value);
        return end is { } day && IsDateOnly(value) ? day.AddDays(1) : end;
    }

    /// <summary>An amount of money in a filter (<c>min_price</c>), held to the same range as bodies.</summary>
    public void Money(string field, decimal? value)
    {
        if (value is { } amount && !InputLimits.IsMoney(amount))
            Add(field, $"{field} must be between 0 and {InputLimits.MaxMoney:#,0}.");
    }

    private static bool IsDateOnly(string? value) =>
        DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static string Truncate(string value) => value.Length > 40 ? value[..40] + "…" : value;
}

public static class SnakeCaseEnum
{
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static IEnumerable<string> Names<TEnum>() where TEnum : struct, Enum =>
        System.Enum.GetValues<TEnum>().Select(Name);

    public static bool TryParse<TEnum>(string value, out TEnum parsed) where TEnum : struct, Enum
    {
        var wanted = value.Trim().Replace("-", "_");
        foreach (var candidate in System.Enum.GetValues<TEnum>())
            if (string.Equals(Name(candidate), wanted, StringComparison.OrdinalIgnoreCase))
            {
                parsed = candidate;
                return true;
            }
        parsed = default;
        return false;
    }
}
