using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Calls.Analysis;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Calls.Analysis;

/// <summary>Post-call analysis with no cloud keys: the offline reading of the fixture turns, end to end through the job.</summary>
public sealed class CallAnalysisOfflineTests
{
    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task A_finished_call_is_analysed_and_fills_only_the_empty_lead_fields(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var setup = await AnalysisWorld.CreateAsync(app, lead => lead.Bedrooms = 2);
        var client = await app.ClientForAsync(setup.World.AgentA);

        await AnalysisWorld.FinishAsync(app, setup);
        var call = await AnalysisWorld.AnalysedAsync(client, setup.Call.Id);

        var analysis = call.GetProperty("analysis");
        Assert.Equal("done", analysis.GetProperty("status").GetString());
        Assert.Equal("offline", analysis.GetProperty("source").GetString());
        var summary = analysis.GetProperty("summary").GetString()!;
        Assert.Contains("buy", summary, StringComparison.Ordinal);
        Assert.Equal(summary, call.GetProperty("transcript_summary").GetString());
        Assert.Equal("positive", call.GetProperty("sentiment").GetString());
        Assert.True(analysis.GetProperty("success").GetBoolean());
        var fields = analysis.GetProperty("fields");
        Assert.Equal("buy", fields.GetProperty("intent").GetProperty("value").GetString());
        Assert.InRange(fields.GetProperty("intent").GetProperty("confidence").GetDouble(), 0.01, 1);
        Assert.Equal("Austin", fields.GetProperty("areas").GetProperty("value")[0].GetString());
        Assert.Equal(500_000m, fields.GetProperty("budget_max").GetProperty("value").GetDecimal());
        Assert.Equal(3, fields.GetProperty("bedrooms").GetProperty("value").GetInt32());
        Assert.True(fields.GetProperty("pre_approved").GetProperty("value").GetBoolean());
        Assert.NotEqual(0, analysis.GetProperty("next_steps").GetArrayLength());

        var lead = await app.WithDbAsync(d => d.Leads.AsNoTracking().SingleAsync(l => l.Id == setup.Lead.Id));
        Assert.Equal(LeadIntent.Buy, lead.Intent);
        Assert.Equal(["Austin"], lead.PreferredAreas);
        Assert.Equal(500_000m, lead.BudgetMax);
        Assert.True(lead.PreApproved);
        Assert.Equal(2, lead.Bedrooms); // stated by a person before the call: the automatic pass leaves it
        Assert.Equal(LeadStatus.Qualified, lead.Status);
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Staff_correct_the_analysis_and_accepting_it_overwrites_the_lead(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var setup = await AnalysisWorld.CreateAsync(app, lead => lead.Bedrooms = 2);
        var agent = await app.ClientForAsync(setup.World.AgentA);
        var otherAgent = await app.ClientForAsync(setup.World.AgentB);
        await AnalysisWorld.FinishAsync(app, setup);
        await AnalysisWorld.AnalysedAsync(agent, setup.Call.Id);

        var bad = await agent.PutAsJsonAsync($"/calls/{setup.Call.Id}/analysis", new
        {
            summary = "", sentiment = "neutral", success = true,
            fields = new { bedrooms = new { value = 4, confidence = 1.5 }, intent = new { value = "lease-to-own", confidence = 1 } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("summary", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("fields.bedrooms.confidence", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("fields.intent.value", out _), errors.ToString());

        var edit = new
        {
            summary = "Wants a four-bedroom in Austin.", sentiment = "neutral", success = true, success_reason = "Qualified.",
            fields = new { bedrooms = new { value = 4, confidence = 1 }, name = new { value = "Maria Lopez", confidence = 1 } },
            next_steps = new[] { "Send listings" },
        };
        Assert.Equal(HttpStatusCode.NotFound, (await otherAgent.PutAsJsonAsync($"/calls/{setup.Call.Id}/analysis", edit)).StatusCode);
        var saved = await agent.PutAsJsonAsync($"/calls/{setup.Call.Id}/analysis", edit);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var call = await agent.GetFromJsonAsync<JsonElement>($"/calls/{setup.Call.Id}");
        Assert.Equal("staff", call.GetProperty("analysis").GetProperty("source").GetString());
        Assert.Equal("Wants a four-bedroom in Austin.", call.GetProperty("analysis").GetProperty("summary").GetString());
        Assert.Equal(["Send listings"], call.GetProperty("analysis").GetProperty("next_steps").EnumerateArray().Select(s => s.GetString()));

        var applied = await agent.PostAsync($"/calls/{setup.Call.Id}/analysis/apply-to-lead", null);
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        var lead = await app.WithDbAsync(d => d.Leads.AsNoTracking().SingleAsync(l => l.Id == setup.Lead.Id));
        Assert.Equal(4, lead.Bedrooms); // accepted by a person: overwrites
        Assert.Equal("Maria Lopez", lead.Name);
        var row = await app.WithDbAsync(d => d.CallAnalyses.AsNoTracking().SingleAsync(a => a.CallId == setup.Call.Id));
        Assert.NotNull(row.AppliedToLeadAt);
        Assert.Equal(AnalysisSource.Staff, row.Source);
    }

    [Fact]
    public void The_offline_reading_of_a_silent_call_says_so_and_asks_for_a_call_back()
    {
        var result = OfflineCallAnalyzer.Analyze(new AnalysisInput(1, [(Speaker.Agent, "Hello?")], CallOutcome.Abandoned, ["Austin"], CallAnalysisOptions.DefaultSuccessCriteria));
        Assert.False(result.Success);
        Assert.Equal(CallSentiment.Negative, result.Sentiment);
        Assert.Equal(ExtractedLeadFields.None, result.Fields);
        Assert.Contains("Call the caller back.", result.NextSteps);
    }
}
