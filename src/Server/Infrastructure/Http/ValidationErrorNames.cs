using System.Text.Json;

namespace EstateVoice.Server.Infrastructure.Http;

/// <summary>
/// Validation reports C# member names ("BudgetMin", "Items[0].City"); clients know the JSON names
/// ("budget_min", "items[0].city"), so errors are re-keyed with the same naming policy as the bodies.
/// </summary>
internal static class ValidationErrorNames
{
    public static void ToSnakeCase(IDictionary<string, string[]> errors)
    {
        foreach (var key in errors.Keys.ToList())
        {
            var renamed = string.Join('.', key.Split('.').Select(SnakeCaseSegment));
            if (renamed == key) continue;
            var messages = errors[key];
            errors.Remove(key);
            errors[renamed] = errors.TryGetValue(renamed, out var existing) ? [.. existing, .. messages] : messages;
        }
    }

    private static string SnakeCaseSegment(string segment)
    {
        var bracket = segment.IndexOf('[');
        return bracket < 0
            ? JsonNamingPolicy.SnakeCaseLower.ConvertName(segment)
            : JsonNamingPolicy.SnakeCaseLower.ConvertName(segment[..bracket]) + segment[bracket..];
    }
}
