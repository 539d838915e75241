using System.Text.Json;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Voice.Agent;
using Microsoft.Extensions.AI;

namespace EstateVoice.Server.Features.Voice.Providers.Local;

/// <summary>
/// Everything the local agent knows, rebuilt from the conversation history on every turn (the client keeps no
/// state of its own, so it behaves the same however the history was produced or truncated).
/// </summary>
public sealed class CallerProfile
{
    public string? Intent { get; private set; }
    public string? City { get; private set; }
    public int? Bedrooms { get; private set; }
    public decimal? BudgetMin { get; private set; }
    public decimal? BudgetMax { get; private set; }
    public string? PropertyType { get; private set; }
    public string? Timeline { get; private set; }
    public bool? PreApproved { get; private set; }
    public string? Name { get; private set; }
    public bool Searched { get; private set; }
    public JsonElement? OfferedProperty { get; private set; }
    public bool Booked { get; private set; }
    public string? LastQuestion { get; private set; }
    public Utterance? LastUtterance { get; private set; }
    public FunctionCallContent? LastToolCall { get; private set; }
    public JsonElement? LastToolResult { get; private set; }
    public int ToolCallCount { get; private set; }

    public static CallerProfile From(IReadOnlyList<ChatMessage> messages, IReadOnlyList<string> cities)
    {
        var p = new CallerProfile();
        // A returning caller's or an outbound call's lead: what the CRM knows counts as already said.
        if (messages.Count > 0 && messages[0].Role == ChatRole.System) p.Seed(AgentInstructions.ReadFacts(messages[0].Text));
        var calls = new Dictionary<string, FunctionCallContent>();
        foreach (var m in messages)
        {
            if (m.Role == ChatRole.Assistant)
            {
                if (!string.IsNullOrWhiteSpace(m.Text)) p.LastQuestion = m.Text;
                foreach (var fc in m.Contents.OfType<FunctionCallContent>())
                {
                    calls[fc.CallId] = fc;
                    p.ToolCallCount++;
                }
            }
            else if (m.Role == ChatRole.User)
            {
                p.Apply(Understanding.Parse(m.Text, cities, p.LastQuestion));
                p.LastToolCall = null;
                p.LastToolResult = null;
            }
            else if (m.Role == ChatRole.Tool)
            {
                foreach (var r in m.Contents.OfType<FunctionResultContent>())
                {
                    if (!calls.TryGetValue(r.CallId, out var call)) continue;
                    var result = ToJson(r.Result);
                    p.LastToolCall = call;
                    p.LastToolResult = result;
                    p.ApplyTool(call.Name, result);
                }
            }
        }
        return p;
    }

    private void Seed(KnownFacts f)
    {
        Name = f.Name;
        Intent = f.Intent is { } intent ? LeadIntents.Name(intent) : null;
        City = f.Areas is { Count: > 0 } areas ? areas[0] : null;
        Bedrooms = f.Bedrooms;
        BudgetMin = f.BudgetMin;
        BudgetMax = f.BudgetMax;
        Timeline = f.Timeline;
        PreApproved = f.PreApproved;
    }

    private void Apply(Utterance u)
    {
        LastUtterance = u;
        Intent = u.Intent ?? Intent;
        City = u.City ?? City;
        Bedrooms = u.Bedrooms ?? Bedrooms;
        BudgetMin = u.BudgetMin ?? BudgetMin;
        BudgetMax = u.BudgetMax ?? BudgetMax;
        PropertyType = u.PropertyType ?? PropertyType;
        Timeline = u.Timeline ?? Timeline;
        PreApproved = u.PreApproved ?? PreApproved;
        Name = u.Name ?? Name;
    }

    private void ApplyTool(string name, JsonElement result)
    {
        switch (name)
        {
            case Tools.AgentTools.SearchProperties:
                Searched = true;
                OfferedProperty = result.TryGetProperty("properties", out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0
                    ? list[0].Clone()
                    : null;
                break;
            case Tools.AgentTools.BookShowing:
                if (result.TryGetProperty("booked", out var booked) && booked.ValueKind == JsonValueKind.True) Booked = true;
                break;
        }
    }

    private static JsonElement ToJson(object? result) => result switch
    {
        JsonElement e => e,
        string s when s.StartsWith('{') || s.StartsWith('[') => JsonDocument.Parse(s).RootElement.Clone(),
        null => default,
        _ => JsonSerializer.SerializeToElement(result),
    };
}
