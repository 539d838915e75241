using System.Globalization;
using EstateVoice.Server.Features.Voice.Live;
using EstateVoice.Server.Features.Voice.Tools;
using EstateVoice.Server.Features.Webhooks.Outgoing;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Calls.Analysis;

/// <summary>Enqueues a finished call's analysis (once per call, however many places report the end).</summary>
public sealed class CallAnalysisQueue(JobStore jobs, ILogger<CallAnalysisQueue> logger)
{
    public static string Key(int callId) => callId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Enqueues inside the caller's transaction (a webhook's processing): committed with the call it analyses.</summary>
    public Task EnqueueWithAsync(AppDbContext db, int callId, CancellationToken cancellationToken) =>
        jobs.EnqueueWithAsync(db, CallAnalysisJob.Kind, Key(callId), cancellationToken);

    /// <summary>Never throws: a call's ending must not fail because its analysis could not be queued (it is logged).</summary>
    public async Task EnqueueAsync(int callId, CancellationToken cancellationToken)
    {
        try
        {
            await jobs.EnqueueAsync(CallAnalysisJob.Kind, Key(callId), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "call_analysis_enqueue_failed {CallId}", callId);
        }
    }
}

/// <summary>
/// The <c>call-analysis</c> job: analyses the call (cloud model when configured, else offline), stores the result,
/// fills the call's empty summary and the lead's empty fields. A staff correction is never overwritten by a rerun.
/// On its last attempt a failing cloud model gives way to the offline reading, so every call ends up analysed.
/// </summary>
public sealed class CallAnalysisJob(
    AppDbContext db, IAgentDataStore agentData, CallAnalyzers analyzers, IOptions<CallAnalysisOptions> options, TimeProvider time,
    CallReportQueue reports, JobStore jobs, ICallEventPublisher events, ILogger<CallAnalysisJob> logger) : IJobHandler
{
    public const string Kind = "call-analysis";

    /// <summary>
    /// Analyses, then queues the end-of-call report (outgoing webhooks) in a second write: a node dying between the
    /// two leaves this job unfinished, so it runs again and the report is queued then. When the analysis fails for
    /// good, the report still goes out, saying so.
    /// </summary>
    public async Task RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        if (!int.TryParse(run.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var callId))
            throw new PermanentJobFailureException($"'{run.Key}' is not a call id");
        try
        {
            await AnalyseAsync(run, callId, cancellationToken);
        }
        catch (Exception e) when (run.IsLastAttempt && e is not OperationCanceledException and not PermanentJobFailureException)
        {
            db.ChangeTracker.Clear();
            await QueueReportAsync(callId, $"{e.GetType().Name}: {e.Message}", cancellationToken);
            throw;
        }
        await QueueReportAsync(callId, null, cancellationToken);
    }

    private async Task QueueReportAsync(int callId, string? analysisError, CancellationToken cancellationToken)
    {
        if (!await reports.AddAsync(db, callId, analysisError, cancellationToken)) return;
        await db.SaveChangesAsync(cancellationToken);
        jobs.Wake();
    }

    private async Task AnalyseAsync(JobRun run, int callId, CancellationToken cancellationToken)
    {
        var call = await db.Calls.SingleOrDefaultAsync(c => c.Id == callId, cancellationToken)
                   ?? throw new PermanentJobFailureException($"call {callId} no longer exists");
        var existing = await db.CallAnalyses.SingleOrDefaultAsync(a => a.CallId == callId, cancellationToken);
        if (existing?.EditedAt is not null) return; // staff wrote it: theirs stands

        var turns = await db.CallTurns.AsNoTracking().Where(t => t.CallId == callId).OrderBy(t => t.Sequence)
            .Select(t => new { t.Speaker, t.Text }).ToListAsync(cancellationToken);
        var input = new AnalysisInput(callId, turns.Select(t => (t.Speaker, t.Text)).ToList(), call.Outcome,
            await agentData.GetCitiesAsync(cancellationToken), options.Value.SuccessCriteria);
        var result = FromProviderSummary(call, existing, input) ?? await AnalyzeAsync(input, run, cancellationToken);

        var now = time.GetUtcNow();
        var analysis = existing ?? db.CallAnalyses.Add(new CallAnalysis { CallId = callId, CreatedAt = now }).Entity;
        Write(analysis, result, now);
        if (string.IsNullOrWhiteSpace(call.TranscriptSummary)) call.TranscriptSummary = result.Summary;
        if (call.LeadId is { } leadId && await db.Leads.SingleOrDefaultAsync(l => l.Id == leadId, cancellationToken) is { } lead)
            LeadUpdates.Apply(lead, result.Fields.ToLeadUpdateWhereEmpty(lead), now);
        call.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        // Whoever has the call open sees its summary and analysis arrive, without reloading.
        events.CallUpdated(call.AgentId, call.Id);
    }

    /// <summary>The <see cref="CallAnalysis.Model"/> of an analysis built on ElevenLabs' own summary.</summary>
    public const string ProviderSummaryModel = "elevenlabs-summary";

    /// <summary>
    /// A call ElevenLabs handled and summarised (its post-call webhook brought the summary): that summary is the
    /// analysis' summary, the rest (fields, mood, next steps) is read offline from the turns — no second model call.
    /// Null for every other call, and for one already analysed another way (a rerun keeps that way).
    /// </summary>
    private static AnalysisResult? FromProviderSummary(Call call, CallAnalysis? existing, AnalysisInput input)
    {
        if (call.WebhookProcessedAt is null || string.IsNullOrWhiteSpace(call.TranscriptSummary)) return null;
        if (existing is not null && existing.Model != ProviderSummaryModel) return null;
        var summary = call.TranscriptSummary.Trim();
        return OfflineCallAnalyzer.Analyze(input) with
        {
            Summary = summary.Length <= CallAnalysis.MaxSummary ? summary : summary[..CallAnalysis.MaxSummary],
            Model = ProviderSummaryModel,
        };
    }

    private async Task<AnalysisResult> AnalyzeAsync(AnalysisInput input, JobRun run, CancellationToken cancellationToken)
    {
        var analyzer = analyzers.Preferred;
        try
        {
            return await analyzer.AnalyzeAsync(input, cancellationToken);
        }
        catch (Exception e) when (run.IsLastAttempt && analyzer is not OfflineCallAnalyzer && e is not OperationCanceledException)
        {
            logger.LogWarning(e, "call_analysis_model_failed_using_offline {CallId} attempt={Attempt}", input.CallId, run.Attempt);
            return OfflineCallAnalyzer.Analyze(input);
        }
    }

    /// <summary>Puts <paramref name="result"/> on the row (shared with staff edits, which pass their own source).</summary>
    public static void Write(CallAnalysis analysis, AnalysisResult result, DateTimeOffset now)
    {
        analysis.Status = AnalysisStatus.Done;
        analysis.Summary = result.Summary;
        analysis.Sentiment = result.Sentiment;
        analysis.Success = result.Success;
        analysis.SuccessReason = result.SuccessReason;
        analysis.FieldsJson = AnalysisJson.Write(result.Fields);
        analysis.NextStepsJson = AnalysisJson.Write(result.NextSteps);
        analysis.Source = result.Source;
        if (result.Source != AnalysisSource.Staff)
        {
            analysis.Model = result.Model;
            analysis.InputTokens = result.InputTokens;
            analysis.OutputTokens = result.OutputTokens;
            analysis.AnalyzedAt = now;
        }
        analysis.Error = null;
        analysis.UpdatedAt = now;
    }
}

/// <summary>Which analyser runs: the cloud model when the voice agent's Azure OpenAI deployment is configured, else offline.</summary>
public sealed class CallAnalyzers(ICallAnalyzer preferred)
{
    public ICallAnalyzer Preferred { get; } = preferred;
}
