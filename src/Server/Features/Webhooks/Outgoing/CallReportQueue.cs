using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Calls.Analysis;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Webhooks.Outgoing;

/// <summary>
/// Queues the end-of-call report (<c>call.report</c>) once a call's analysis is done or has failed for good: one
/// outbox row and one delivery job per configured URL, added to the caller's context so they commit together.
/// One report per call: a later rerun of the analysis does not send another (staff redeliver from the admin page).
/// </summary>
public sealed class CallReportQueue(IOptions<OutgoingWebhookOptions> options, JobStore jobs, TimeProvider time)
{
    public const string EventType = "call.report";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Adds the report's deliveries to <paramref name="db"/> (not saved); false when webhooks are off or it was already queued.</summary>
    public async Task<bool> AddAsync(AppDbContext db, int callId, string? analysisError, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled) return false;
        if (await db.WebhookDeliveries.AnyAsync(d => d.CallId == callId && d.EventType == EventType, cancellationToken)) return false;
        var call = await db.Calls.AsNoTracking().Include(c => c.Lead).SingleOrDefaultAsync(c => c.Id == callId, cancellationToken);
        if (call is null) return false;
        var analysis = await db.CallAnalyses.AsNoTracking().SingleOrDefaultAsync(a => a.CallId == callId, cancellationToken);

        var now = time.GetUtcNow();
        var eventId = "evt_" + Guid.NewGuid().ToString("N");
        var report = new CallReport(eventId, EventType, now,
            new ReportCall(call.Id, call.CallSid, call.Direction, call.Status, call.Outcome, call.IsTest, call.FromNumber, call.ToNumber,
                call.StartedAt, call.EndedAt, call.DurationSeconds, call.TranscriptSummary, RecordingLink(o, call.Id, call.RecordingBlobName)),
            call.Lead is { } lead
                ? new ReportLead(lead.Id, lead.Name, lead.Phone, lead.Email, lead.Status, lead.Intent, lead.BudgetMin, lead.BudgetMax,
                    lead.Bedrooms, lead.PreferredAreas, lead.Timeline, lead.PreApproved)
                : null,
            analysis is { Status: AnalysisStatus.Done }
                ? new ReportAnalysis("done", analysis.Summary, analysis.Sentiment, analysis.Success, analysis.SuccessReason,
                    Parse(analysis.FieldsJson), Parse(analysis.NextStepsJson), analysis.Source, null)
                : new ReportAnalysis("failed", null, null, null, null, null, null, null, analysisError ?? analysis?.Error ?? "analysis failed"));
        var payload = JsonSerializer.Serialize(report, Json);

        foreach (var url in o.Urls.Select(u => u.ToString()).Distinct())
        {
            var key = "whd_" + Guid.NewGuid().ToString("N");
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                DeliveryKey = key, EventId = eventId, EventType = EventType, CallId = callId, Url = url, Payload = payload,
                Status = WebhookDeliveryStatus.Pending, NextAttemptAt = now, CreatedAt = now, UpdatedAt = now,
            });
            jobs.Add(db, WebhookDeliveryJob.Kind, key);
        }
        return true;
    }

    /// <summary>Our own authenticated streaming URL (staff sign in to play it), never the storage location.</summary>
    private static string? RecordingLink(OutgoingWebhookOptions o, int callId, string? blobName) =>
        blobName is null ? null : $"{o.PublicBaseUrl}/calls/{callId.ToString(CultureInfo.InvariantCulture)}/recording";

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
}

public sealed record CallReport(string Id, string Type, DateTimeOffset CreatedAt, ReportCall Call, ReportLead? Lead, ReportAnalysis Analysis);

public sealed record ReportCall(
    int Id, string CallSid, CallDirection Direction, CallStatus Status, CallOutcome? Outcome, bool IsTest,
    string? From, string? To, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, int? DurationSeconds, string? Summary, string? RecordingUrl);

public sealed record ReportLead(
    int Id, string Name, string Phone, string? Email, LeadStatus Status, LeadIntent? Intent, decimal? BudgetMin,
    decimal? BudgetMax, int? Bedrooms, IReadOnlyList<string> PreferredAreas, string? Timeline, bool? PreApproved);

public sealed record ReportAnalysis(
    string Status, string? Summary, CallSentiment? Sentiment, bool? Success, string? SuccessReason, JsonNode? Fields,
    JsonNode? NextSteps, AnalysisSource? Source, string? Error);
