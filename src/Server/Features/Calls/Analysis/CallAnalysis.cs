namespace EstateVoice.Server.Features.Calls.Analysis;

public enum AnalysisStatus { Pending, Done, Failed }

public enum CallSentiment { Positive, Neutral, Negative }

/// <summary>Who wrote the analysis as it stands: the cloud model, the offline reader of the turns, or a person.</summary>
public enum AnalysisSource { Model, Offline, Staff }

/// <summary>
/// What a finished call amounted to (one row per call, written by the <c>call-analysis</c> job, correctable by
/// staff): a short summary, the lead facts the caller stated with how sure the reading is, next steps, the
/// caller's mood and whether the call met the success criteria.
/// </summary>
public sealed class CallAnalysis
{
    public const int MaxSummary = 2000;
    public const int MaxText = 500;

    public int CallId { get; set; }
    public Call? Call { get; set; }
    public AnalysisStatus Status { get; set; }
    public string? Summary { get; set; }
    public CallSentiment? Sentiment { get; set; }
    public bool? Success { get; set; }
    public string? SuccessReason { get; set; }
    /// <summary><see cref="ExtractedLeadFields"/> as JSON.</summary>
    public string? FieldsJson { get; set; }
    /// <summary>The next steps, a JSON array of strings.</summary>
    public string? NextStepsJson { get; set; }
    public AnalysisSource? Source { get; set; }
    /// <summary>The model's deployment name (cloud analyses only).</summary>
    public string? Model { get; set; }
    public int? InputTokens { get; set; }
    public int? OutputTokens { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset? AnalyzedAt { get; set; }
    public int? EditedByUserId { get; set; }
    public DateTimeOffset? EditedAt { get; set; }
    public DateTimeOffset? AppliedToLeadAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
