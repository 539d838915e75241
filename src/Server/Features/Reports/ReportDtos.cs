using EstateVoice.Server.Features.Calls;

namespace EstateVoice.Server.Features.Reports;

public sealed record SummaryReport(
    DateTimeOffset From, DateTimeOffset To, int TotalCalls, int AnsweredCalls, double AverageDurationSeconds,
    IReadOnlyList<CallsPerDay> CallsPerDay, IReadOnlyList<OutcomeCount> Outcomes, int LeadsCreated, int LeadsQualified,
    int ShowingsBooked, Funnel Funnel, IReadOnlyList<AgentRow> PerAgent);

public sealed record CallsPerDay(DateOnly Date, int Total, int Inbound, int Outbound);

public sealed record OutcomeCount(CallOutcome Outcome, int Count);

/// <summary>Of the leads created in the range: how many, how many reached qualified, how many got a showing.</summary>
public sealed record Funnel(int Leads, int Qualified, int Showing);

/// <param name="AgentId">Null on the "Unassigned" row: work no agent holds.</param>
public sealed record AgentRow(
    int? AgentId, string AgentName, int Calls, double AverageDurationSeconds, int LeadsAssigned, int LeadsQualified, int ShowingsBooked);
