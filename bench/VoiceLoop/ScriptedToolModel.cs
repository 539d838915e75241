using System.Text.Json;

namespace EstateVoice.Bench.VoiceLoop;

/// <summary>
/// The model of a call that uses tools as real ones do (<c>--tools</c>): on the caller's first turn it asks for
/// <c>search_properties</c>, on the second for <c>book_showing</c> of one of the listings the search returned, picked
/// at random as callers pick (so bookings spread over the listings instead of all queueing for one); once a
/// tool result is in the conversation it answers in words. So turns 1 and 2 each cost two model rounds and real
/// database work on the server (a listings query; a lead upsert and a showing insert), as issue 11 measured them.
/// </summary>
public static class ScriptedToolModel
{
    /// <summary>What the fake model answers next, read from the request's own conversation.</summary>
    public abstract record Step;
    public sealed record Say : Step;
    public sealed record CallTool(string Name, string ArgumentsJson) : Step;

    public static Step Next(JsonElement request)
    {
        if (!request.TryGetProperty("messages", out var messages) || messages.GetArrayLength() == 0) return new Say();
        var last = messages[messages.GetArrayLength() - 1];
        if (Role(last) == "tool") return new Say();
        var userTurns = messages.EnumerateArray().Count(m => Role(m) == "user");
        return userTurns switch
        {
            1 => new CallTool("search_properties", """{"city":"Austin","max_price":900000,"bedrooms":2}"""),
            2 => new CallTool("book_showing", JsonSerializer.Serialize(new
            {
                property_id = PickListing(messages) ?? 1,
                // A slot of its own per call (mostly): clashing bookings are refused, and that is database work too.
                starts_at = DateTimeOffset.UtcNow.Date.AddDays(Random.Shared.Next(1, 300)).AddHours(Random.Shared.Next(8, 19))
                    .AddMinutes(15 * Random.Shared.Next(0, 4)).ToString("yyyy-MM-ddTHH:mm:ssZ"),
            })),
            _ => new Say(),
        };
    }

    private static string? Role(JsonElement message) =>
        message.TryGetProperty("role", out var role) ? role.GetString() : null;

    /// <summary>A random one of the listing ids in the search_properties result the server sent back.</summary>
    private static int? PickListing(JsonElement messages)
    {
        foreach (var message in messages.EnumerateArray())
        {
            if (Role(message) != "tool" || !message.TryGetProperty("content", out var content)) continue;
            var text = content.ValueKind == JsonValueKind.String ? content.GetString()
                : content.ValueKind == JsonValueKind.Array && content.GetArrayLength() > 0 && content[0].TryGetProperty("text", out var t) ? t.GetString()
                : null;
            if (text is null || !text.Contains("\"properties\"", StringComparison.Ordinal)) continue;
            using var result = JsonDocument.Parse(text);
            if (result.RootElement.TryGetProperty("properties", out var list) && list.GetArrayLength() > 0)
                return list[Random.Shared.Next(list.GetArrayLength())].GetProperty("id").GetInt32();
        }
        return null;
    }
}
