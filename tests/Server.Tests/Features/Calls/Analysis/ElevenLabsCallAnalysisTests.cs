using EstateVoice.Server.Features.Calls.Analysis;
using EstateVoice.Server.Infrastructure.Jobs;
using EstateVoice.Server.Tests.Features.Webhooks.ElevenLabs;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Calls.Analysis;

/// <summary>ElevenLabs summarises its own calls: one that arrives without a summary gets our whole analysis, one with a
/// summary keeps it and gets the rest (sentiment, fields) from the offline reading, so both send their end-of-call report.</summary>
public sealed class ElevenLabsCallAnalysisTests
{
    [Fact]
    public async Task A_transcription_without_a_summary_is_analysed_and_one_with_a_summary_keeps_it()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, ElevenLabsWebhook.Settings());
        var client = app.CreateClient();

        await client.PostSignedJsonAsync(app, Payloads.RealTranscription(app.Now(), "conv_1", "CA301", summary: null!));
        await client.PostSignedJsonAsync(app, Payloads.RealTranscription(app.Now(), "conv_2", "CA302"));

        app.Time.Advance(TimeSpan.FromSeconds(5)); // the job committed with the event, after the wake-up: the next poll runs it
        var unsummarised = await app.WithDbAsync(d => d.Calls.SingleAsync(c => c.CallSid == "CA301"));
        for (var i = 0; i < 600 && !await app.WithDbAsync(d => d.CallAnalyses.AnyAsync(a => a.CallId == unsummarised.Id)); i++) await Task.Delay(25);
        var analysis = await app.WithDbAsync(d => d.CallAnalyses.AsNoTracking().SingleAsync(a => a.CallId == unsummarised.Id));
        Assert.Equal(AnalysisSource.Offline, analysis.Source);
        Assert.Equal(analysis.Summary, (await app.WithDbAsync(d => d.Calls.AsNoTracking().SingleAsync(c => c.Id == unsummarised.Id))).TranscriptSummary);

        var summarised = await app.WithDbAsync(d => d.Calls.AsNoTracking().SingleAsync(c => c.CallSid == "CA302"));
        for (var i = 0; i < 600 && !await app.WithDbAsync(d => d.CallAnalyses.AnyAsync(a => a.CallId == summarised.Id)); i++) await Task.Delay(25);
        var kept = await app.WithDbAsync(d => d.CallAnalyses.AsNoTracking().SingleAsync(a => a.CallId == summarised.Id));
        Assert.Equal(summarised.TranscriptSummary, kept.Summary);
        Assert.Equal("elevenlabs-summary", kept.Model);

        var jobs = await app.WithDbAsync(d => d.Jobs.AsNoTracking().Where(j => j.Kind == CallAnalysisJob.Kind).OrderBy(j => j.Id).ToListAsync());
        Assert.Equal([CallAnalysisQueue.Key(unsummarised.Id), CallAnalysisQueue.Key(summarised.Id)], jobs.Select(j => j.Key));
        Assert.All(jobs, j => Assert.Equal(JobState.Done, j.State));
    }
}
