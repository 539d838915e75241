using System.Globalization;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Voice.Providers.Local;
using Microsoft.Extensions.AI;

namespace EstateVoice.Server.Features.Calls.Analysis;

/// <summary>
/// The analysis without a cloud model: deterministic, from the turns, read by the offline agent's own understanding
/// (<see cref="CallerProfile"/> over <see cref="Understanding"/>, intents from <see cref="LeadIntents"/>) so a call
/// is read the same way the agent heard it. Confidences are modest: a keyword reading, not comprehension.
/// </summary>
public sealed class OfflineCallAnalyzer : ICallAnalyzer
{
    /// <summary>A value the parser matched in the caller's words.</summary>
    private const double Parsed = 0.7;
    /// <summary>Names are guessed from "my name is …" and answers to "what is your name": likelier to be wrong.</summary>
    private const double Guessed = 0.5;

    public Task<AnalysisResult> AnalyzeAsync(AnalysisInput input, CancellationToken cancellationToken) => Task.FromResult(Analyze(input));

    public static AnalysisResult Analyze(AnalysisInput input)
    {
        var messages = input.Turns
            .Where(t => t.Speaker != Speaker.System && !string.IsNullOrWhiteSpace(t.Text))
            .Select(t => new ChatMessage(t.Speaker == Speaker.Caller ? ChatRole.User : ChatRole.Assistant, t.Text))
            .ToList();
        var profile = CallerProfile.From(messages, input.Cities);
        var fields = new ExtractedLeadFields(
            Intent: profile.Intent is { } intent ? new(intent, Parsed) : null,
            Areas: profile.City is { } city ? new([city], Parsed) : null,
            BudgetMin: profile.BudgetMin is { } min ? new(min, Parsed) : null,
            BudgetMax: profile.BudgetMax is { } max ? new(max, Parsed) : null,
            Bedrooms: profile.Bedrooms is { } bedrooms ? new(bedrooms, Parsed) : null,
            Timeline: profile.Timeline is { } timeline ? new(timeline, Parsed) : null,
            PreApproved: profile.PreApproved is { } preApproved ? new(preApproved, Parsed) : null,
            Name: profile.Name is { } name ? new(name, Guessed) : null);
        var callerSpoke = messages.Any(m => m.Role == ChatRole.User);
        var qualified = Qualifies(fields);
        var success = input.Outcome is CallOutcome.ShowingBooked or CallOutcome.Qualified or CallOutcome.Transferred || qualified;
        return new AnalysisResult(
            Summary(fields, input.Outcome, callerSpoke), Sentiment(input.Outcome), success,
            success ? SuccessReason(input.Outcome, qualified) : "No showing was booked, the caller was not qualified and did not reach a person.",
            fields, NextSteps(fields, input.Outcome, callerSpoke), AnalysisSource.Offline);
    }

    /// <summary>The product's one qualification rule, applied to what was read.</summary>
    private static bool Qualifies(ExtractedLeadFields f) => LeadQualification.IsQualified(new Lead
    {
        Name = "", Phone = "", Intent = LeadIntents.Parse(f.Intent?.Value), PreferredAreas = [.. f.Areas?.Value ?? []],
        BudgetMin = f.BudgetMin?.Value, BudgetMax = f.BudgetMax?.Value, Timeline = f.Timeline?.Value, PreApproved = f.PreApproved?.Value,
    });

    private static string Summary(ExtractedLeadFields f, CallOutcome? outcome, bool callerSpoke)
    {
        if (!callerSpoke) return $"The caller said nothing the agent could understand. {Ending(outcome)}";
        var who = f.Name?.Value ?? "The caller";
        var wants = f.Intent?.Value switch
        {
            "sell" => "wants to sell a property",
            "rent" => "wants to rent a home",
            "buy" => "wants to buy a home",
            _ => "called about property",
        };
        var details = new List<string>();
        if (f.Bedrooms is { } b) details.Add($"{b.Value.ToString(CultureInfo.InvariantCulture)} bedrooms");
        if (f.Areas is { } a) details.Add($"in {string.Join(", ", a.Value)}");
        if (f.BudgetMax is { } max) details.Add($"with a budget up to {Money(max.Value)}");
        else if (f.BudgetMin is { } min) details.Add($"with a budget from {Money(min.Value)}");
        if (f.Timeline is { } t) details.Add($"timeline {t.Value}");
        var first = details.Count == 0 ? $"{who} {wants}." : $"{who} {wants}: {string.Join(", ", details)}.";
        var second = f.PreApproved?.Value switch
        {
            true => " They are pre-approved for a mortgage.",
            false => " They are not pre-approved yet.",
            _ => "",
        };
        return $"{first}{second} {Ending(outcome)}";
    }

    private static string Money(decimal amount) => amount.ToString("$#,0", CultureInfo.InvariantCulture);

    private static string Ending(CallOutcome? outcome) => outcome switch
    {
        CallOutcome.ShowingBooked => "A showing was booked.",
        CallOutcome.Qualified => "The lead was qualified.",
        CallOutcome.Transferred => "The call was transferred to a person.",
        CallOutcome.TransferFailed => "A transfer to a person was tried but not answered.",
        CallOutcome.NotInterested => "The caller was not interested.",
        CallOutcome.DoNotCall => "The caller asked not to be called again.",
        CallOutcome.WrongNumber => "It was a wrong number.",
        CallOutcome.Voicemail => "The call reached voicemail.",
        CallOutcome.NoAnswer => "Nobody answered.",
        CallOutcome.Failed => "The call failed before it finished.",
        CallOutcome.Abandoned => "The caller hung up before the end.",
        _ => "The caller was given information.",
    };

    private static string SuccessReason(CallOutcome? outcome, bool qualified) => outcome switch
    {
        CallOutcome.ShowingBooked => "The caller booked a showing.",
        CallOutcome.Transferred => "The caller reached a person.",
        _ when qualified || outcome == CallOutcome.Qualified => "The caller gave enough to qualify as a lead.",
        _ => "The call met the success criteria.",
    };

    private static CallSentiment Sentiment(CallOutcome? outcome) => outcome switch
    {
        CallOutcome.ShowingBooked or CallOutcome.Qualified or CallOutcome.Transferred => CallSentiment.Positive,
        CallOutcome.NotInterested or CallOutcome.DoNotCall or CallOutcome.TransferFailed or CallOutcome.Abandoned => CallSentiment.Negative,
        _ => CallSentiment.Neutral,
    };

    private static List<string> NextSteps(ExtractedLeadFields f, CallOutcome? outcome, bool callerSpoke)
    {
        var steps = new List<string>();
        switch (outcome)
        {
            case CallOutcome.DoNotCall or CallOutcome.WrongNumber:
                return ["No follow-up: do not call this number."];
            case CallOutcome.ShowingBooked:
                steps.Add("Confirm the showing with the caller the day before.");
                break;
            case CallOutcome.TransferFailed or CallOutcome.Failed or CallOutcome.Abandoned:
                steps.Add("Call the caller back.");
                break;
        }
        if (!callerSpoke) return steps.Count > 0 ? steps : ["Call the caller back."];
        if (f.Intent is null) steps.Add("Ask whether they want to buy, sell or rent.");
        if (f.Areas is null) steps.Add("Ask which areas they are interested in.");
        if (f.Intent?.Value != "sell" && f.BudgetMax is null && f.BudgetMin is null) steps.Add("Ask for their budget.");
        if (f.Intent?.Value == "buy" && f.PreApproved is null) steps.Add("Ask whether they are pre-approved for a mortgage.");
        if (outcome is not CallOutcome.ShowingBooked && Qualifies(f)) steps.Add("Send matching listings and offer a showing.");
        return steps;
    }
}
