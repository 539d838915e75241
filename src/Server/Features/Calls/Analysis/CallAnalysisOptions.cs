namespace EstateVoice.Server.Features.Calls.Analysis;

/// <summary>Post-call analysis settings: <c>ANALYSIS_SUCCESS_CRITERIA</c> (what counts as a successful call).</summary>
public sealed class CallAnalysisOptions
{
    public const string DefaultSuccessCriteria = "the caller booked a showing or was qualified or reached a human";

    /// <summary>
    /// Given to the cloud model as written. The offline analyser cannot read free text: it judges a call a success
    /// when it ended booked, qualified or transferred, or the facts it read qualify the lead (the default criteria).
    /// </summary>
    public string SuccessCriteria { get; set; } = DefaultSuccessCriteria;
}

/// <summary>A finished call as the analysers see it.</summary>
public sealed record AnalysisInput(
    int CallId, IReadOnlyList<(Speaker Speaker, string Text)> Turns, CallOutcome? Outcome, IReadOnlyList<string> Cities, string SuccessCriteria);

public interface ICallAnalyzer
{
    Task<AnalysisResult> AnalyzeAsync(AnalysisInput input, CancellationToken cancellationToken);
}
