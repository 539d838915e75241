using System.Text.Json;

namespace EstateVoice.Bench.VoiceLoop;

/// <summary>
/// Azure OpenAI chat completions (deployment URL and v1 URL) streaming SSE with the first token after
/// <see cref="FixedLatency.LlmFirstTokenMs"/>: Azure's empty-choices first chunk, text deltas, finish, [DONE].
/// </summary>
public static class FakeAzureOpenAI
{
    private const string Reply = "Sure, I can help with that. Which neighbourhood would you like to live in?";

    private const string Analysis = """{"summary": "The caller wants to buy a three-bedroom home and is pre-approved.", "sentiment": "positive", "success": true, "success_reason": "The caller's needs were captured.", "next_steps": ["Send listings"], "fields": {"intent": {"value": "buy", "confidence": 0.9}, "areas": {"value": null, "confidence": 0}, "budget_min": {"value": null, "confidence": 0}, "budget_max": {"value": null, "confidence": 0}, "bedrooms": {"value": 3, "confidence": 0.8}, "timeline": {"value": null, "confidence": 0}, "pre_approved": {"value": true, "confidence": 0.9}, "name": {"value": null, "confidence": 0}, "email": {"value": null, "confidence": 0}}}""";

    /// <param name="tools">Follow <see cref="ScriptedToolModel"/>: tool calls on the caller's first two turns.</param>
    public static void Map(WebApplication app, FixedLatency latency, bool tools = false)
    {
        app.MapPost("/openai/deployments/{deployment}/chat/completions", (HttpContext context) => StreamAsync(context, latency, tools));
        app.MapPost("/openai/v1/chat/completions", (HttpContext context) => StreamAsync(context, latency, tools));
    }

    private static async Task StreamAsync(HttpContext context, FixedLatency latency, bool tools)
    {
        var ct = context.RequestAborted;
        var received = System.Diagnostics.Stopwatch.GetTimestamp();
        ScriptedToolModel.Step step = new ScriptedToolModel.Say();
        var reply = Reply;
        using (var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: ct))
        {
            // The post-call analysis (structured output) asks after every call, as in real use: answer with JSON it parses.
            if (request.RootElement.TryGetProperty("response_format", out _)) reply = Analysis;
            else if (tools) step = ScriptedToolModel.Next(request.RootElement);
        }
        await ExactDelay.Until(received, latency.LlmFirstTokenMs, ct);
        context.Response.ContentType = "text/event-stream";
        await WriteAsync(context, new { id = "", @object = "", created = 0, model = "", choices = Array.Empty<object>(), prompt_filter_results = Array.Empty<object>() });
        if (step is ScriptedToolModel.CallTool tool)
        {
            var id = "call_" + Guid.NewGuid().ToString("N")[..12];
            await WriteAsync(context, Chunk(new { role = "assistant", tool_calls = new[] { new { index = 0, id, type = "function", function = new { name = tool.Name, arguments = "" } } } }, null));
            ProviderLateness.Record(ProviderLateness.Llm, received, latency.LlmFirstTokenMs);
            await WriteAsync(context, Chunk(new { tool_calls = new[] { new { index = 0, function = new { arguments = tool.ArgumentsJson } } } }, null));
            await WriteAsync(context, Chunk(new { }, "tool_calls"));
            await context.Response.WriteAsync("data: [DONE]\n\n", ct);
            return;
        }
        var words = reply.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            await WriteAsync(context, Chunk(new { role = i == 0 ? "assistant" : null, content = (i == 0 ? "" : " ") + words[i] }, null));
            if (i == 0) ProviderLateness.Record(ProviderLateness.Llm, received, latency.LlmFirstTokenMs);
        }
        await WriteAsync(context, Chunk(new { }, "stop"));
        await context.Response.WriteAsync("data: [DONE]\n\n", ct);
    }

    private static object Chunk(object delta, string? finish) => new
    {
        id = "chatcmpl-bench", @object = "chat.completion.chunk", created = 1_764_000_000, model = "gpt-4.1",
        choices = new[] { new { index = 0, delta, finish_reason = finish } },
    };

    private static readonly JsonSerializerOptions OmitNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private static async Task WriteAsync(HttpContext context, object chunk)
    {
        await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(chunk, OmitNulls) + "\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}
