using System.Text.Json;
using System.Text.Json.Serialization;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Voice.Agent;
using EstateVoice.Server.Features.Voice.Tools;

namespace EstateVoice.Server.Features.Calls.Analysis;

/// <summary>One fact the caller stated and how sure the reading of it is (0 = a guess, 1 = said in so many words).</summary>
public sealed record Extracted<T>(T Value, double Confidence);

/// <summary>The lead facts a call revealed; null where the caller did not say.</summary>
/// <param name="Intent">"buy", "sell" or "rent" (<see cref="LeadIntents"/>).</param>
public sealed record ExtractedLeadFields(
    Extracted<string>? Intent = null, Extracted<IReadOnlyList<string>>? Areas = null, Extracted<decimal>? BudgetMin = null,
    Extracted<decimal>? BudgetMax = null, Extracted<int>? Bedrooms = null, Extracted<string>? Timeline = null,
    Extracted<bool>? PreApproved = null, Extracted<string>? Name = null, Extracted<string>? Email = null)
{
    public static readonly ExtractedLeadFields None = new();

    /// <summary>Every field, as staff accepting the analysis want them on the lead (<see cref="LeadUpdates"/> does the writing).</summary>
    public LeadUpdate ToLeadUpdate() => new(
        Name?.Value, Intent?.Value, BudgetMin?.Value, BudgetMax?.Value, Bedrooms?.Value, Areas?.Value, Timeline?.Value,
        PreApproved?.Value, Email: Email?.Value);

    /// <summary>Only the fields the lead has no value for: an automatic analysis never overwrites what a person or the agent recorded.</summary>
    public LeadUpdate ToLeadUpdateWhereEmpty(Lead lead) => new(
        KnownLead.IsPlaceholderName(lead.Name) ? Name?.Value : null,
        lead.Intent is null ? Intent?.Value : null,
        lead.BudgetMin is null ? BudgetMin?.Value : null,
        lead.BudgetMax is null ? BudgetMax?.Value : null,
        lead.Bedrooms is null ? Bedrooms?.Value : null,
        lead.PreferredAreas.Count == 0 ? Areas?.Value : null,
        string.IsNullOrWhiteSpace(lead.Timeline) ? Timeline?.Value : null,
        lead.PreApproved is null ? PreApproved?.Value : null,
        Email: string.IsNullOrWhiteSpace(lead.Email) ? Email?.Value : null);
}

/// <summary>What an analyser concluded about a call.</summary>
public sealed record AnalysisResult(
    string Summary, CallSentiment Sentiment, bool Success, string? SuccessReason, ExtractedLeadFields Fields,
    IReadOnlyList<string> NextSteps, AnalysisSource Source, string? Model = null, int? InputTokens = null, int? OutputTokens = null);

/// <summary>How analyses are stored in their JSON columns (the API's own naming: snake_case).</summary>
public static class AnalysisJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Read<T>(string? json) where T : class
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try { return JsonSerializer.Deserialize<T>(json, Options); }
        catch (JsonException) { return null; }
    }
}
