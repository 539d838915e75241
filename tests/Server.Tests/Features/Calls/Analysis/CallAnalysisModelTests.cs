using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.Server.Features.Calls.Analysis;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Tests.Fakes;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Tests.Features.Calls.Analysis;

/// <summary>Post-call analysis by the cloud model: a fake Azure OpenAI speaking the chat-completions wire protocol.</summary>
public sealed class CallAnalysisModelTests
{
    private const string Answer = """
        {"summary":"Maria wants to buy a three-bedroom home in Austin for up to $500,000 within three months. She is pre-approved.",
         "sentiment":"positive","success":true,"success_reason":"The caller was qualified.",
         "next_steps":["Send Austin listings under $500k","Offer a showing this week"],
         "fields":{"intent":{"value":"buy","confidence":0.95},"areas":{"value":["Austin"],"confidence":0.9},
                   "budget_min":{"value":null,"confidence":0},"budget_max":{"value":500000,"confidence":0.85},
                   "bedrooms":{"value":3,"confidence":0.9},"timeline":{"value":"within three months","confidence":0.8},
                   "pre_approved":{"value":true,"confidence":0.9},"name":{"value":"Maria","confidence":0.6},
                   "email":{"value":"maria@example.com","confidence":0.4}}}
        """;

    private static Dictionary<string, string?> CloudSettings(FakeAzureOpenAIServer llm) => new()
    {
        ["AZURE_OPENAI_ENDPOINT"] = llm.BaseUrl,
        ["AZURE_OPENAI_API_KEY"] = FakeAzureOpenAIServer.ApiKey,
        ["AZURE_OPENAI_DEPLOYMENT"] = FakeAzureOpenAIServer.Deployment,
        ["ANALYSIS_SUCCESS_CRITERIA"] = "the caller booked a showing",
    };

    [Fact]
    public async Task The_json_schema_request_is_sent_and_the_answer_parsed_with_token_use()
    {
        // The answer arrives in pieces, as a streamed completion does.
        await using var llm = await FakeAzureOpenAIServer.StartAsync(new FakeChatReply.Text(Answer[..40], Answer[40..200], Answer[200..]));
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, CloudSettings(llm));
        var setup = await AnalysisWorld.CreateAsync(app);
        var client = await app.ClientForAsync(setup.World.AgentA);

        await AnalysisWorld.FinishAsync(app, setup);
        var call = await AnalysisWorld.AnalysedAsync(client, setup.Call.Id);

        var request = llm.Requests.Select(r => r.Body).Single(b => b["response_format"] is not null);
        Assert.Equal("json_schema", request["response_format"]!["type"]!.GetValue<string>());
        var schema = request["response_format"]!["json_schema"]!;
        Assert.Equal(ModelCallAnalyzer.SchemaName, schema["name"]!.GetValue<string>());
        Assert.Equal("object", schema["schema"]!["properties"]!["fields"]!["type"]!.GetValue<string>());
        var prompt = request["messages"]!.AsArray().Select(m => m!["content"]!.ToString()).ToList();
        Assert.Contains(prompt, p => p.Contains("the caller booked a showing", StringComparison.Ordinal));
        Assert.Contains(prompt, p => p.Contains("Caller: up to five hundred thousand dollars", StringComparison.Ordinal));

        var analysis = call.GetProperty("analysis");
        Assert.Equal("done", analysis.GetProperty("status").GetString());
        Assert.Equal("model", analysis.GetProperty("source").GetString());
        Assert.Equal(FakeAzureOpenAIServer.Deployment, analysis.GetProperty("model").GetString());
        Assert.Equal(42, analysis.GetProperty("tokens").GetProperty("input").GetInt32());
        Assert.Equal(7, analysis.GetProperty("tokens").GetProperty("output").GetInt32());
        Assert.StartsWith("Maria wants to buy", call.GetProperty("transcript_summary").GetString(), StringComparison.Ordinal);
        var fields = analysis.GetProperty("fields");
        Assert.Equal(0.95, fields.GetProperty("intent").GetProperty("confidence").GetDouble());
        Assert.Equal("maria@example.com", fields.GetProperty("email").GetProperty("value").GetString());
        Assert.Equal(JsonValueKind.Null, fields.GetProperty("budget_min").ValueKind);
        Assert.Equal(2, analysis.GetProperty("next_steps").GetArrayLength());

        var lead = await app.WithDbAsync(d => d.Leads.AsNoTracking().SingleAsync(l => l.Id == setup.Lead.Id));
        Assert.Equal("Maria", lead.Name); // the placeholder name counts as empty
        Assert.Equal("maria@example.com", lead.Email);
        Assert.Equal(LeadIntent.Buy, lead.Intent);
        Assert.Equal("within three months", lead.Timeline);
    }

    [Fact]
    public async Task A_failing_model_is_retried_with_backoff_and_the_call_shows_pending_meanwhile()
    {
        await using var llm = await FakeAzureOpenAIServer.StartAsync(new FakeChatReply.Failure(500), new FakeChatReply.Text(Answer));
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, CloudSettings(llm));
        var setup = await AnalysisWorld.CreateAsync(app);
        var client = await app.ClientForAsync(setup.World.AgentA);

        await AnalysisWorld.FinishAsync(app, setup);
        for (var i = 0; i < 600 && await app.WithDbAsync(d => d.Jobs.AnyAsync(j => j.LastError != null)) == false; i++) await Task.Delay(25);
        var pending = await client.GetFromJsonAsync<JsonElement>($"/calls/{setup.Call.Id}");
        Assert.Equal("pending", pending.GetProperty("analysis").GetProperty("status").GetString());

        app.Time.Advance(TimeSpan.FromSeconds(10)); // the first retry is due, and the worker's poll fires
        var call = await AnalysisWorld.AnalysedAsync(client, setup.Call.Id);
        Assert.Equal("model", call.GetProperty("analysis").GetProperty("source").GetString());
    }
}
