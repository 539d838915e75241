using System.Security.Claims;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Voice.Tools;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using EstateVoice.Server.Infrastructure.Http;
using EstateVoice.Server.Infrastructure.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Calls.Analysis;

public sealed record TokenUse(int? Input, int? Output);

/// <summary>A call's analysis as <c>GET /calls/{id}</c> shows it; <see cref="Status"/> pending while its job has not finished.</summary>
public sealed record CallAnalysisResponse(
    AnalysisStatus Status, string? Summary, CallSentiment? Sentiment, bool? Success, string? SuccessReason,
    ExtractedLeadFields Fields, IReadOnlyList<string> NextSteps, AnalysisSource? Source, string? Model, TokenUse? Tokens,
    string? Error, DateTimeOffset? AnalyzedAt, DateTimeOffset? EditedAt, DateTimeOffset? AppliedToLeadAt)
{
    /// <summary>Null when the call has neither an analysis nor a job for one (e.g. a call still ringing).</summary>
    public static async Task<CallAnalysisResponse?> LoadAsync(AppDbContext db, int callId, CancellationToken ct)
    {
        var row = await db.CallAnalyses.AsNoTracking().SingleOrDefaultAsync(a => a.CallId == callId, ct).ConfigureAwait(false);
        if (row is not null) return From(row);
        var key = CallAnalysisQueue.Key(callId);
        var job = await db.Jobs.AsNoTracking().Where(j => j.Kind == CallAnalysisJob.Kind && j.Key == key)
            .Select(j => new { j.State, j.LastError }).SingleOrDefaultAsync(ct).ConfigureAwait(false);
        if (job is null) return null;
        var status = job.State == JobState.Failed ? AnalysisStatus.Failed : AnalysisStatus.Pending;
        return new CallAnalysisResponse(status, null, null, null, null, ExtractedLeadFields.None, [], null, null, null,
            status == AnalysisStatus.Failed ? job.LastError : null, null, null, null);
    }

    public static CallAnalysisResponse From(CallAnalysis a) => new(
        a.Status, a.Summary, a.Sentiment, a.Success, a.SuccessReason,
        AnalysisJson.Read<ExtractedLeadFields>(a.FieldsJson) ?? ExtractedLeadFields.None,
        AnalysisJson.Read<List<string>>(a.NextStepsJson) ?? [], a.Source, a.Model,
        a.InputTokens is null && a.OutputTokens is null ? null : new TokenUse(a.InputTokens, a.OutputTokens),
        a.Error, a.AnalyzedAt, a.EditedAt, a.AppliedToLeadAt);
}

/// <summary>A person's version of the analysis (all of it: what is left out is cleared).</summary>
public sealed record CallAnalysisEdit(
    string? Summary, CallSentiment? Sentiment, bool? Success, string? SuccessReason, ExtractedLeadFields? Fields, IReadOnlyList<string>? NextSteps);

public static class CallAnalysisApi
{
    public const int MaxNextSteps = 10;

    /// <summary>Staff correct an analysis and accept it onto the lead; who may is who may see the call (<see cref="CallAccess"/>).</summary>
    public static IEndpointRouteBuilder MapCallAnalysisApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/calls/{id:int}/analysis").WithTags("Calls");

        group.MapPut("/", async Task<Results<Ok<CallAnalysisResponse>, ValidationProblem, ProblemHttpResult>> (
            int id, CallAnalysisEdit edit, ClaimsPrincipal user, AppDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            if (!await db.Calls.VisibleTo(user).AnyAsync(c => c.Id == id, ct)) return Problems.NotFound("Call");
            var errors = Validate(edit);
            if (errors.Any) return errors.ToProblem();
            var now = time.GetUtcNow();
            var analysis = await db.CallAnalyses.SingleOrDefaultAsync(a => a.CallId == id, ct)
                           ?? db.CallAnalyses.Add(new CallAnalysis { CallId = id, CreatedAt = now }).Entity;
            CallAnalysisJob.Write(analysis, new AnalysisResult(
                edit.Summary!.Trim(), edit.Sentiment!.Value, edit.Success!.Value, edit.SuccessReason?.Trim(), edit.Fields ?? ExtractedLeadFields.None,
                [.. (edit.NextSteps ?? []).Select(s => s.Trim()).Where(s => s.Length > 0)], AnalysisSource.Staff), now);
            analysis.EditedAt = now;
            analysis.EditedByUserId = user.GetUserId();
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(CallAnalysisResponse.From(analysis));
        });

        group.MapPost("/apply-to-lead", async Task<Results<Ok<CallAnalysisResponse>, ProblemHttpResult>> (
            int id, ClaimsPrincipal user, AppDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var call = await db.Calls.VisibleTo(user).Where(c => c.Id == id).Select(c => new { c.LeadId }).SingleOrDefaultAsync(ct);
            if (call is null) return Problems.NotFound("Call");
            var analysis = await db.CallAnalyses.SingleOrDefaultAsync(a => a.CallId == id && a.Status == AnalysisStatus.Done, ct);
            if (analysis is null) return Problems.Conflict("The call has no finished analysis yet.");
            if (call.LeadId is not { } leadId) return Problems.Conflict("The call is not linked to a lead.");
            var lead = await db.Leads.VisibleTo(user).SingleOrDefaultAsync(l => l.Id == leadId, ct);
            if (lead is null) return Problems.NotFound("Lead");
            var now = time.GetUtcNow();
            // Staff accepting the analysis: every extracted field overwrites the lead's.
            var fields = AnalysisJson.Read<ExtractedLeadFields>(analysis.FieldsJson) ?? ExtractedLeadFields.None;
            var update = fields.ToLeadUpdate();
            if (update.Areas is { Count: > 0 }) lead.PreferredAreas = [];
            LeadUpdates.Apply(lead, update, now);
            analysis.AppliedToLeadAt = now;
            analysis.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(CallAnalysisResponse.From(analysis));
        });

        return app;
    }

    private static QueryErrors Validate(CallAnalysisEdit edit)
    {
        var errors = new QueryErrors();
        if (string.IsNullOrWhiteSpace(edit.Summary)) errors.Add("summary", "The summary is required.");
        else if (edit.Summary.Length > CallAnalysis.MaxSummary) errors.Add("summary", $"At most {CallAnalysis.MaxSummary} characters.");
        if (edit.Sentiment is null) errors.Add("sentiment", "Sentiment is required: positive, neutral or negative.");
        if (edit.Success is null) errors.Add("success", "Say whether the call was a success.");
        if (edit.SuccessReason is { Length: > CallAnalysis.MaxText }) errors.Add("success_reason", $"At most {CallAnalysis.MaxText} characters.");
        if (edit.NextSteps is { } steps)
        {
            if (steps.Count > MaxNextSteps) errors.Add("next_steps", $"At most {MaxNextSteps} steps.");
            if (steps.Any(s => s is null || s.Length > CallAnalysis.MaxText)) errors.Add("next_steps", $"Each step is text of at most {CallAnalysis.MaxText} characters.");
        }
        if (edit.Fields is { } f)
        {
            Confidence(errors, "intent", f.Intent?.Confidence);
            if (f.Intent is { } intent && LeadIntents.Parse(intent.Value) is null) errors.Add("fields.intent.value", "One of buy, sell, rent.");
            Confidence(errors, "areas", f.Areas?.Confidence);
            if (f.Areas is { } areas && (areas.Value is null || areas.Value.Count > 20 || areas.Value.Any(a => string.IsNullOrWhiteSpace(a) || a.Length > 100)))
                errors.Add("fields.areas.value", "Up to 20 area names of at most 100 characters.");
            Confidence(errors, "budget_min", f.BudgetMin?.Confidence);
            Confidence(errors, "budget_max", f.BudgetMax?.Confidence);
            errors.Money("fields.budget_min.value", f.BudgetMin?.Value);
            errors.Money("fields.budget_max.value", f.BudgetMax?.Value);
            if (f.BudgetMin?.Value > f.BudgetMax?.Value) errors.Add("fields.budget_min.value", "The minimum budget is above the maximum.");
            Confidence(errors, "bedrooms", f.Bedrooms?.Confidence);
            if (f.Bedrooms?.Value is < 0 or > 100) errors.Add("fields.bedrooms.value", "Between 0 and 100.");
            Confidence(errors, "timeline", f.Timeline?.Confidence);
            if (f.Timeline is { } timeline && (string.IsNullOrWhiteSpace(timeline.Value) || timeline.Value.Length > 100))
                errors.Add("fields.timeline.value", "Text of at most 100 characters.");
            Confidence(errors, "pre_approved", f.PreApproved?.Confidence);
            Confidence(errors, "name", f.Name?.Confidence);
            if (f.Name is { } name && (string.IsNullOrWhiteSpace(name.Value) || name.Value.Length > 200))
                errors.Add("fields.name.value", "Text of at most 200 characters.");
            Confidence(errors, "email", f.Email?.Confidence);
            if (f.Email is { } email && (email.Value is null || !email.Value.Contains('@', StringComparison.Ordinal) || email.Value.Length > 254))
                errors.Add("fields.email.value", "An email address.");
        }
        return errors;
    }

    private static void Confidence(QueryErrors errors, string field, double? confidence)
    {
        if (confidence is < 0 or > 1 || confidence is { } c && double.IsNaN(c)) errors.Add($"fields.{field}.confidence", "Between 0 and 1.");
    }
}
