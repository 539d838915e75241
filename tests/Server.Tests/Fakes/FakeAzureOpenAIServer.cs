using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EstateVoice.Server.Tests.Fakes;

/// <summary>One scripted answer of the fake: streamed text, streamed tool calls, an HTTP failure, or a stall.</summary>
public abstract record FakeChatReply
{
    public sealed record Text(params string[] Deltas) : FakeChatReply;

    /// <summary>Each call's arguments arrive split into <paramref name="ArgumentFragments"/> pieces, as the real service does.</summary>
    public sealed record ToolCalls(params (string Id, string Name, string ArgumentsJson)[] Calls) : FakeChatReply
    {
        public int ArgumentFragments { get; init; } = 3;
    }

    public sealed record Failure(int StatusCode) : FakeChatReply;

    /// <summary>Sends the first chunks, then goes silent until the client gives up.</summary>
    public sealed record StallAfterFirstChunk(string FirstDelta) : FakeChatReply;

    /// <summary>Streams these deltas, then drops the connection without finishing the stream (a cut half-way).</summary>
    public sealed record CutAfter(params string[] Deltas) : FakeChatReply;

    /// <summary>Sends nothing, not even headers, for <paramref name="Duration"/>; then answers <paramref name="Late"/> if the client still waits.</summary>
    public sealed record Stall(TimeSpan Duration, string Late = "Sorry for the wait.") : FakeChatReply;
}

/// <summary>
/// Azure OpenAI's classic deployment endpoint on loopback (<c>/openai/deployments/{d}/chat/completions</c>) answering
/// with SSE chat-completion chunks the way Azure sends them: an empty-choices <c>prompt_filter_results</c> chunk first,
/// role then content deltas, tool-call fragments keyed by index, a finish chunk, a usage chunk, <c>[DONE]</c>.
/// </summary>
public sealed class FakeAzureOpenAIServer : IAsyncDisposable
{
    public const string ApiKey = "fake-azure-key";
    public const string Deployment = "gpt-41-test";

    private WebApplication _app = null!;

    public ConcurrentQueue<FakeChatReply> Replies { get; } = new();
    public ConcurrentQueue<(string Path, string? ApiVersion, JsonObject Body)> Requests { get; } = new();
    private readonly ConcurrentQueue<(Func<JsonObject, bool> Match, TaskCompletionSource Seen)> _watches = new();

    /// <summary>Completes once a request whose body matches has arrived (before or after this call): a signal, not a poll.</summary>
    public Task RequestSeen(Func<JsonObject, bool> match)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Watched first, then the requests so far: one arriving in between is caught by either.
        _watches.Enqueue((match, seen));
        if (Requests.Any(r => match(r.Body))) seen.TrySetResult();
        return seen.Task;
    }

    /// <summary>The product's start-up ping ("Reply with OK.") is answered without taking a scripted reply.</summary>
    public int WarmUpRequests;

    /// <summary>Requests that took a scripted reply (the warm-up ping excluded).</summary>
    public int ScriptedRequests;
    public string BaseUrl => _app.BaseUrl();

    public static async Task<FakeAzureOpenAIServer> StartAsync(params FakeChatReply[] replies)
    {
        var fake = new FakeAzureOpenAIServer();
        foreach (var reply in replies) fake.Replies.Enqueue(reply);
        fake._app = await FakeServerHost.StartAsync(app => app.MapPost("/openai/deployments/{deployment}/chat/completions", fake.HandleAsync));
        return fake;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context, string deployment)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        Requests.Enqueue((context.Request.Path, context.Request.Query["api-version"], body));
        foreach (var (match, seen) in _watches)
            if (match(body)) seen.TrySetResult();
        if (context.Request.Headers["api-key"] != ApiKey)
        {
            await Error(context, 401, "Access denied due to invalid subscription key.");
            return;
        }
        if (deployment != Deployment)
        {
            await Error(context, 404, "The API deployment for this resource does not exist.");
            return;
        }
        FakeChatReply? reply;
        if (IsWarmUp(body))
        {
            Interlocked.Increment(ref WarmUpRequests);
            reply = new FakeChatReply.Text("OK");
        }
        else
        {
            Interlocked.Increment(ref ScriptedRequests);
            if (!Replies.TryDequeue(out reply)) reply = new FakeChatReply.Text("(no scripted reply)");
        }
        if (reply is FakeChatReply.Stall stall)
        {
            try { await Task.Delay(stall.Duration, context.RequestAborted); }
            catch (OperationCanceledException) { return; }
            reply = new FakeChatReply.Text(stall.Late);
        }
        if (reply is FakeChatReply.Failure failure)
        {
            await Error(context, failure.StatusCode, "Scripted failure");
            return;
        }

        context.Response.ContentType = "text/event-stream";
        var id = "chatcmpl-" + Guid.NewGuid().ToString("N")[..12];
        // Azure sends its prompt filter verdict first, with no choices and blank id/model.
        await Send(context, new
        {
            id = "", @object = "", created = 0, model = "", choices = Array.Empty<object>(),
            prompt_filter_results = new[] { new { prompt_index = 0, content_filter_results = new { hate = new { filtered = false, severity = "safe" } } } }
        });
        await Send(context, Chunk(id, new { role = "assistant", content = "" }, null));

        string finish;
        switch (reply)
        {
            case FakeChatReply.Text text:
                foreach (var delta in text.Deltas) await Send(context, Chunk(id, new { content = delta }, null));
                finish = "stop";
                break;
            case FakeChatReply.ToolCalls tools:
                for (var index = 0; index < tools.Calls.Length; index++)
                {
                    var (callId, name, args) = tools.Calls[index];
                    await Send(context, Chunk(id, new { tool_calls = new[] { new { index, id = callId, type = "function", function = new { name, arguments = "" } } } }, null));
                    foreach (var piece in Split(args, tools.ArgumentFragments))
                    {
                        await Send(context, Chunk(id, new { tool_calls = new[] { new { index, function = new { arguments = piece } } } }, null));
                    }
                }
                finish = "tool_calls";
                break;
            case FakeChatReply.StallAfterFirstChunk stallAfter:
                await Send(context, Chunk(id, new { content = stallAfter.FirstDelta }, null));
                try { await Task.Delay(Timeout.Infinite, context.RequestAborted); }
                catch (OperationCanceledException) { }
                return;
            case FakeChatReply.CutAfter cut:
                foreach (var delta in cut.Deltas) await Send(context, Chunk(id, new { content = delta }, null));
                // Let the deltas reach the client first: a reset discards whatever it has not read yet.
                await Task.Delay(300);
                context.Abort();
                return;
            default:
                throw new InvalidOperationException("unknown reply");
        }
        await Send(context, Chunk(id, new { }, finish));
        await Send(context, new
        {
            id, @object = "chat.completion.chunk", created = 1, model = "gpt-4.1", choices = Array.Empty<object>(),
            usage = new { prompt_tokens = 42, completion_tokens = 7, total_tokens = 49 }
        });
        await context.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static bool IsWarmUp(JsonObject body) =>
        body["messages"] is JsonArray { Count: 1 } messages && messages[0]?["content"]?.ToString() == "Reply with OK.";

    private static object Chunk(string id, object delta, string? finishReason) => new
    {
        id, @object = "chat.completion.chunk", created = 1, model = "gpt-4.1", system_fingerprint = "fp_fake",
        choices = new[] { new { index = 0, delta, finish_reason = finishReason, logprobs = (object?)null,
            content_filter_results = new { } } },
    };

    private static IEnumerable<string> Split(string text, int pieces)
    {
        var size = Math.Max(1, (int)Math.Ceiling(text.Length / (double)pieces));
        for (var i = 0; i < text.Length; i += size) yield return text.Substring(i, Math.Min(size, text.Length - i));
    }

    private static async Task Send(HttpContext context, object chunk)
    {
        await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(chunk) + "\n\n");
        await context.Response.Body.FlushAsync();
    }

    private static Task Error(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = new { code = status.ToString(), message } });
    }
}
