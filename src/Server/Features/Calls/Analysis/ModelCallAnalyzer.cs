using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EstateVoice.Server.Features.Leads;
using Microsoft.Extensions.AI;

namespace EstateVoice.Server.Features.Calls.Analysis;

/// <summary>
/// The analysis by the cloud model (the Azure OpenAI deployment the voice agent uses), asked for JSON that must
/// match <see cref="Schema"/> (structured outputs, strict), so the answer parses or the attempt fails and the job
/// retries. Token use is kept with the analysis.
/// </summary>
public sealed class ModelCallAnalyzer(IChatClient chat, string model) : ICallAnalyzer
{
    public const string SchemaName = "call_analysis";

    public async Task<AnalysisResult> AnalyzeAsync(AnalysisInput input, CancellationToken cancellationToken)
    {
        var options = new ChatOptions
        {
            Temperature = 0,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, SchemaName, "What a real-estate phone call amounted to"),
        };
        ChatMessage[] messages = [new(ChatRole.System, Instructions(input.SuccessCriteria)), new(ChatRole.User, Transcript(input))];
        var response = await chat.GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);
        var result = Parse(response.Text);
        return result with
        {
            Source = AnalysisSource.Model,
            Model = model,
            InputTokens = (int?)response.Usage?.InputTokenCount,
            OutputTokens = (int?)response.Usage?.OutputTokenCount,
        };
    }

    private static string Instructions(string criteria) =>
        "You analyse phone calls between a real-estate agency's voice agent and a caller. Read the transcript and answer in JSON. "
        + "summary: 2 to 3 sentences for the agency's staff. fields: only what the CALLER stated (never what the agent offered); "
        + "value null when not stated; confidence 0 to 1 for how clearly it was said. intent is buy, sell or rent. Budgets in dollars. "
        + "next_steps: short actions for staff. sentiment: the caller's mood. "
        + $"success: whether the call met these criteria: {criteria}. success_reason: one sentence.";

    private static string Transcript(AnalysisInput input)
    {
        var text = new StringBuilder();
        if (input.Outcome is { } outcome) text.Append("Outcome recorded by the system: ").Append(outcome).Append("\n\n");
        text.Append(CallTranscript.Render(input.Turns) ?? "(no words were exchanged)");
        return text.ToString();
    }

    /// <summary>The model's JSON as an analysis; values outside their rules (an unknown intent, a confidence of 3) are dropped or clamped.</summary>
    public static AnalysisResult Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var fields = root.GetProperty("fields");
        var sentiment = root.GetProperty("sentiment").GetString() switch
        {
            "positive" => CallSentiment.Positive,
            "negative" => CallSentiment.Negative,
            _ => CallSentiment.Neutral,
        };
        var intent = Field(fields, "intent", v => LeadIntents.Parse(v.GetString()) is { } i ? LeadIntents.Name(i) : null);
        var extracted = new ExtractedLeadFields(
            Intent: intent,
            Areas: Field<IReadOnlyList<string>>(fields, "areas", v =>
            {
                var areas = v.EnumerateArray().Select(a => a.GetString()?.Trim()).OfType<string>().Where(a => a.Length is > 0 and <= 100).Take(20).ToList();
                return areas.Count > 0 ? areas : null;
            }),
            BudgetMin: Number(fields, "budget_min"), BudgetMax: Number(fields, "budget_max"),
            Bedrooms: Field(fields, "bedrooms", v => v.TryGetInt32(out var n) && n is >= 0 and <= 100 ? n : (int?)null),
            Timeline: Text(fields, "timeline", 100),
            PreApproved: Field(fields, "pre_approved", v => v.ValueKind == JsonValueKind.True ? true : v.ValueKind == JsonValueKind.False ? false : (bool?)null),
            Name: Text(fields, "name", 200),
            Email: Field(fields, "email", v => v.GetString() is { } e && e.Contains('@', StringComparison.Ordinal) && e.Length <= 254 ? e.Trim() : null));
        var steps = root.GetProperty("next_steps").EnumerateArray().Select(s => s.GetString()?.Trim()).OfType<string>()
            .Where(s => s.Length > 0).Select(s => Clip(s, CallAnalysis.MaxText)).Take(10).ToList();
        return new AnalysisResult(
            Clip(root.GetProperty("summary").GetString() ?? "", CallAnalysis.MaxSummary), sentiment,
            root.GetProperty("success").GetBoolean(), Clip(root.GetProperty("success_reason").GetString() ?? "", CallAnalysis.MaxText),
            extracted, steps, AnalysisSource.Model);
    }

    private static Extracted<T>? Field<T>(JsonElement fields, string name, Func<JsonElement, T?> read) where T : class =>
        fields.TryGetProperty(name, out var field) && field.ValueKind == JsonValueKind.Object
        && field.TryGetProperty("value", out var value) && value.ValueKind != JsonValueKind.Null && read(value) is { } v
            ? new Extracted<T>(v, Confidence(field))
            : null;

    private static Extracted<T>? Field<T>(JsonElement fields, string name, Func<JsonElement, T?> read) where T : struct =>
        fields.TryGetProperty(name, out var field) && field.ValueKind == JsonValueKind.Object
        && field.TryGetProperty("value", out var value) && value.ValueKind != JsonValueKind.Null && read(value) is { } v
            ? new Extracted<T>(v, Confidence(field))
            : null;

    private static Extracted<decimal>? Number(JsonElement fields, string name) =>
        Field(fields, name, v => v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d) && d is >= 0 and < 1_000_000_000_000m ? d : (decimal?)null);

    private static Extracted<string>? Text(JsonElement fields, string name, int max) =>
        Field(fields, name, v => v.GetString()?.Trim() is { Length: > 0 } s ? Clip(s, max) : null);

    private static double Confidence(JsonElement field) =>
        field.TryGetProperty("confidence", out var c) && c.ValueKind == JsonValueKind.Number ? Math.Clamp(c.GetDouble(), 0, 1) : 0.5;

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];

    /// <summary>Strict structured-output schema: every property required, nothing else allowed, "not said" as null.</summary>
    public static readonly JsonElement Schema = BuildSchema();

    private static JsonElement BuildSchema()
    {
        static JsonObject Obj(params (string Name, JsonNode Schema)[] properties) => new()
        {
            ["type"] = "object",
            ["properties"] = new JsonObject(properties.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)p.Schema))),
            ["required"] = new JsonArray(properties.Select(p => (JsonNode?)JsonValue.Create(p.Name)).ToArray()),
            ["additionalProperties"] = false,
        };
        static JsonObject Typed(params string[] types) => new() { ["type"] = new JsonArray(types.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()) };
        static JsonObject Fact(JsonObject value) => Obj(("value", value), ("confidence", new JsonObject { ["type"] = "number" }));
        var intent = Typed("string", "null");
        intent["enum"] = new JsonArray("buy", "sell", "rent", null);
        var sentiment = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("positive", "neutral", "negative") };
        var areas = Typed("array", "null");
        areas["items"] = new JsonObject { ["type"] = "string" };
        var schema = Obj(
            ("summary", new JsonObject { ["type"] = "string" }),
            ("sentiment", sentiment),
            ("success", new JsonObject { ["type"] = "boolean" }),
            ("success_reason", new JsonObject { ["type"] = "string" }),
            ("next_steps", new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } }),
            ("fields", Obj(
                ("intent", Fact(intent)), ("areas", Fact(areas)), ("budget_min", Fact(Typed("number", "null"))),
                ("budget_max", Fact(Typed("number", "null"))), ("bedrooms", Fact(Typed("integer", "null"))),
                ("timeline", Fact(Typed("string", "null"))), ("pre_approved", Fact(Typed("boolean", "null"))),
                ("name", Fact(Typed("string", "null"))), ("email", Fact(Typed("string", "null"))))));
        return JsonSerializer.SerializeToElement(schema);
    }
}
