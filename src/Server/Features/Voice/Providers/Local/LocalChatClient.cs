using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EstateVoice.Server.Features.Voice.Agent;
using EstateVoice.Server.Features.Voice.Tools;
using Microsoft.Extensions.AI;

namespace EstateVoice.Server.Features.Voice.Providers.Local;

/// <summary>
/// A deterministic, offline agent behind the same <see cref="IChatClient"/> contract and tools as the cloud one:
/// greets, qualifies (intent, area, bedrooms, budget, timeline, pre-approval, name), searches listings, offers and
/// books a showing, transfers on request, takes a message for a callback (asked for, or accepted after a transfer
/// nobody could take), ends a wrong-number call and ends politely. Replies stream word by word like a real model.
/// </summary>
public sealed class LocalChatClient(IAgentDataStore store, VoiceOptions options, TimeProvider time) : IChatClient
{
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in GetStreamingResponseAsync(messages, chatOptions, cancellationToken).ConfigureAwait(false))
            updates.Add(u);
        return updates.ToChatResponse();
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? chatOptions = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var history = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var cities = await store.GetCitiesAsync(cancellationToken).ConfigureAwait(false);
        var profile = CallerProfile.From(history, cities);
        var (text, call) = Decide(history, profile);
        if (text is not null)
        {
            foreach (var word in text.Split(' '))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return new ChatResponseUpdate(ChatRole.Assistant, word + " ");
            }
        }
        if (call is not null)
        {
            var (name, args) = call.Value;
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new FunctionCallContent($"call_{profile.ToolCallCount + 1}", name, args)]);
        }
    }

    /// <summary>Asked once the caller wants to leave a message: their answer is the message.</summary>
    public const string MessagePrompt = "Of course. What message should I pass on, and when is a good time to call you back?";

    private (string? Text, (string Name, Dictionary<string, object?> Args)? Call) Decide(IReadOnlyList<ChatMessage> history, CallerProfile p)
    {
        var last = history.Count > 0 ? history[^1] : null;
        if (last?.Role == ChatRole.Tool && p.LastToolCall is { } tool)
            return AfterTool(tool.Name, p.LastToolResult ?? default, p);
        if (last?.Role != ChatRole.User || p.LastUtterance is not { } u)
            return (options.EffectiveGreeting, null);

        // Nothing to qualify and nobody to hand over to: apologise and let them go rather than carry on the script.
        if (u.WrongNumber)
            return ($"I'm sorry about the mix-up. This is {options.AgencyName}. Have a good day, goodbye!",
                (AgentTools.EndCall, new() { ["reason"] = "wrong number", ["wrong_number"] = true }));
        if (u.WantsHuman)
            return ("Sure, let me connect you with one of our agents.", (AgentTools.TransferToHuman, new() { ["reason"] = "caller asked for a person" }));
        if (u.DoNotCall)
            return (null, (AgentTools.UpdateLead, new() { ["do_not_call"] = true }));
        // Before the facts: a message that mentions a city or a budget is still a message.
        if (MessageStep(p, u, last.Text) is { } message)
            return message;

        var facts = NewFacts(u);
        // An outbound call the lead cannot take now: no script to push through, just a polite exit.
        if (u.No && facts.Count == 0 && p.LastQuestion?.EndsWith(AgentInstructions.GoodTimeQuestion, StringComparison.Ordinal) == true)
            return ("No problem, we'll try you another time. Thanks, and goodbye!", (AgentTools.EndCall, new() { ["reason"] = "not a good time" }));
        if (facts.Count > 0)
            return (null, (AgentTools.UpdateLead, facts));
        if (u.Goodbye && u.Hour is null)
            return Goodbye(p);
        return NextStep(p, u);
    }

    private (string?, (string, Dictionary<string, object?>)?) AfterTool(string tool, JsonElement result, CallerProfile p)
    {
        switch (tool)
        {
            case AgentTools.UpdateLead when p.LastUtterance is { DoNotCall: true }:
                return ("Understood. I've taken your number off our call list. Goodbye.", (AgentTools.EndCall, new() { ["reason"] = "do not call" }));
            case AgentTools.UpdateLead when p.LastUtterance is { Goodbye: true, Hour: null }:
                return Goodbye(p);
            case AgentTools.UpdateLead:
                return p.LastUtterance is { } u ? NextStep(p, u) : (null, null);
            case AgentTools.TakeMessage:
                return ("Thank you, I've passed that on and someone will call you back. Is there anything else I can help you with?", null);
            case AgentTools.SearchProperties:
                return p.OfferedProperty is { } offered
                    ? ($"I found {Describe(offered)}. Would you like to schedule a showing?", null)
                    : ("I don't have an active listing that matches right now. Would you like one of our agents to call you when something comes up?", null);
            case AgentTools.BookShowing:
                if (p.Booked && result.TryGetProperty("starts_at", out var at) && at.TryGetDateTimeOffset(out var startsAt))
                {
                    var when = TimeZoneInfo.ConvertTime(startsAt, Zone()).ToString("dddd, MMMM d 'at' h:mm tt", CultureInfo.InvariantCulture).Replace(":00", "", StringComparison.Ordinal);
                    var next = p.Name is null ? "May I have your name for the booking?" : "Is there anything else I can help you with?";
                    return ($"You're all set for {when}. {next}", null);
                }
                // The tool's offer names the agent's free times ("Maria is free at 2 pm or 4 pm."): only those are offered.
                var offer = result.TryGetProperty("offer", out var o) && o.ValueKind == JsonValueKind.String ? $" {o.GetString()}" : "";
                return ($"I couldn't book that time.{offer} What other day and time would work for you?", null);
            default:
                return (null, null);
        }
    }

    private (string?, (string, Dictionary<string, object?>)?) NextStep(CallerProfile p, Utterance u)
    {
        var askedShowing = p.LastQuestion?.Contains("showing", StringComparison.OrdinalIgnoreCase) == true ||
                           p.LastQuestion?.Contains("day and time", StringComparison.OrdinalIgnoreCase) == true;
        if (p.OfferedProperty is { } offered && !p.Booked && askedShowing)
        {
            var when = Understanding.ResolveTime(u, time.GetUtcNow(), Zone());
            if (when is not null && offered.TryGetProperty("id", out var id))
                return (null, (AgentTools.BookShowing, new() { ["property_id"] = id.GetInt32(), ["starts_at"] = when.Value.ToString("o", CultureInfo.InvariantCulture) }));
            if (u.Yes) return ("Great. What day and time would work for you?", null);
            if (u.No) return ("No problem. Is there anything else I can help you with?", null);
        }

        if (p.Intent is null) return ("Are you looking to buy, sell, or rent?", null);
        if (p.Intent == "sell")
        {
            if (p.City is null) return ("Great, we can help you sell. Which city is the property in?", null);
            if (p.Name is null) return ("One of our listing agents can prepare a free valuation for you. May I have your name?", null);
            return ($"Thanks, {p.Name}. One of our listing agents will call you within one business day with a valuation. Is there anything else I can help you with?", null);
        }
        if (p.City is null)
            return (options.Areas.Length == 0
                ? "Which area are you interested in?"
                : $"Which area are you interested in? We cover {string.Join(", ", options.Areas)}.", null);
        if (p.Bedrooms is null) return ("How many bedrooms do you need?", null);
        if (p.BudgetMax is null && p.BudgetMin is null) return ("And what's your budget?", null);
        var needsApproval = p.Intent == "buy" && p.PreApproved is null;
        if (p.Timeline is null && needsApproval) return ("When are you hoping to move, and are you pre-approved for a mortgage?", null);
        if (p.Timeline is null) return ("When are you hoping to move?", null);
        if (needsApproval) return ("Are you pre-approved for a mortgage?", null);
        if (p.Name is null) return ("Thanks. May I have your name?", null);
        if (!p.Searched)
        {
            var args = new Dictionary<string, object?> { ["city"] = p.City, ["bedrooms"] = p.Bedrooms };
            if (p.BudgetMax is { } max) args["max_price"] = max;
            if (p.PropertyType is { } type) args["property_type"] = type;
            return (null, (AgentTools.SearchProperties, args));
        }
        return ("Is there anything else I can help you with?", null);
    }

    /// <summary>
    /// Taking a message: the caller asks for a callback (asked what to pass on), answers that question (the answer is
    /// the message), or answers the offer made when nobody could take a transfer — yes (asked what to pass on), no
    /// (carry on), or the message itself. Null when no message is under way.
    /// </summary>
    private (string?, (string, Dictionary<string, object?>)?)? MessageStep(CallerProfile p, Utterance u, string said)
    {
        // Streamed replies reach the history word by word with their spaces: compare the words, not the padding.
        var asked = p.LastQuestion?.Trim();
        if (asked == MessagePrompt)
            return (null, (AgentTools.TakeMessage, new() { ["message"] = said.Trim() }));
        var offered = asked is not null && (asked == options.TransferFailedLine.Trim() || asked == options.TransferResumeLine.Trim());
        if (offered)
        {
            if (u.Goodbye && !u.Yes) return Goodbye(p);
            if (u.No) return ("No problem. Is there anything else I can help you with?", null);
            // "Yes" alone: ask for the message; anything longer is the message.
            if (u.Yes && said.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 3) return (MessagePrompt, null);
            return (null, (AgentTools.TakeMessage, new() { ["message"] = said.Trim() }));
        }
        return u.WantsCallback ? (MessagePrompt, null) : null;
    }

    private (string?, (string, Dictionary<string, object?>)?) Goodbye(CallerProfile p) =>
        ($"Thanks for calling {options.AgencyName}{(p.Name is null ? "" : ", " + p.Name.Split(' ')[0])}. Goodbye!", (AgentTools.EndCall, new() { ["reason"] = "caller said goodbye" }));

    private static Dictionary<string, object?> NewFacts(Utterance u)
    {
        var facts = new Dictionary<string, object?>();
        if (u.Name is not null) facts["name"] = u.Name;
        if (u.Intent is not null) facts["intent"] = u.Intent;
        if (u.City is not null) facts["areas"] = new[] { u.City };
        if (u.Bedrooms is not null) facts["bedrooms"] = u.Bedrooms;
        if (u.BudgetMin is not null) facts["budget_min"] = u.BudgetMin;
        if (u.BudgetMax is not null) facts["budget_max"] = u.BudgetMax;
        if (u.Timeline is not null) facts["timeline"] = u.Timeline;
        if (u.PreApproved is not null) facts["pre_approved"] = u.PreApproved;
        return facts;
    }

    private static string Describe(JsonElement p)
    {
        var beds = p.TryGetProperty("bedrooms", out var b) ? b.GetInt32() : 0;
        var type = p.TryGetProperty("type", out var t) ? t.GetString()?.ToLowerInvariant() : "home";
        var address = p.TryGetProperty("address", out var a) ? a.GetString() : "";
        var city = p.TryGetProperty("city", out var c) ? c.GetString() : "";
        var price = p.TryGetProperty("price", out var pr) ? pr.GetDecimal() : 0;
        return $"a {beds} bedroom {type} at {address} in {city} for ${price.ToString("#,0", CultureInfo.InvariantCulture)}";
    }

    private TimeZoneInfo Zone()
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone); }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException) { return TimeZoneInfo.Utc; }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
