using System.ClientModel;
using EstateVoice.Server.Features.Voice.Providers.AzureOpenAI;
using EstateVoice.Server.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace EstateVoice.Server.Tests.Features.Voice.Providers;

public sealed class AzureOpenAIChatClientTests : IAsyncLifetime
{
    private FakeAzureOpenAIServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeAzureOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Streams_text_deltas_from_the_deployment_endpoint()
    {
        _fake.Replies.Enqueue(new FakeChatReply.Text("Thanks for calling", " Acme Realty.", " How can I help?"));
        using var client = Client();

        var updates = await Stream(client, [new(ChatRole.System, "You are a receptionist."), new(ChatRole.User, "Hi")]);

        Assert.Equal("Thanks for calling Acme Realty. How can I help?", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Stop, updates.Last(u => u.FinishReason is not null).FinishReason);
        var usage = updates.SelectMany(u => u.Contents).OfType<UsageContent>().Single();
        Assert.Equal(49, usage.Details.TotalTokenCount);

        var (path, apiVersion, body) = Assert.Single(_fake.Requests);
        Assert.Equal($"/openai/deployments/{FakeAzureOpenAIServer.Deployment}/chat/completions", path);
        Assert.False(string.IsNullOrEmpty(apiVersion));
        Assert.True(body["stream"]!.GetValue<bool>());
        Assert.Equal(["system", "user"], body["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Assembles_streamed_tool_call_fragments_by_index()
    {
        _fake.Replies.Enqueue(new FakeChatReply.ToolCalls(
            ("call_1", "search_properties", """{"city":"Austin","bedrooms":3,"max_price":500000}"""),
            ("call_2", "update_lead", """{"intent":"buy"}"""))
        { ArgumentFragments = 4 });
        using var client = Client();
        var search = AIFunctionFactory.Create((string city, int bedrooms, decimal max_price) => "[]", "search_properties");
        var update = AIFunctionFactory.Create((string intent) => "ok", "update_lead");

        var updates = await Stream(client, [new(ChatRole.User, "3 bedrooms in Austin under 500k")], new ChatOptions { Tools = [search, update] });

        var calls = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["call_1", "call_2"], calls.Select(c => c.CallId));
        Assert.Equal("search_properties", calls[0].Name);
        Assert.Equal("Austin", calls[0].Arguments!["city"]!.ToString());
        Assert.Equal("500000", calls[0].Arguments!["max_price"]!.ToString());
        Assert.Equal("buy", calls[1].Arguments!["intent"]!.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, updates.Last(u => u.FinishReason is not null).FinishReason);

        var tools = Assert.Single(_fake.Requests).Body["tools"]!.AsArray();
        Assert.Equal(["search_properties", "update_lead"], tools.Select(t => t!["function"]!["name"]!.GetValue<string>()));
        Assert.Equal("object", tools[0]!["function"]!["parameters"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sends_tool_results_back_as_tool_messages_linked_to_the_call()
    {
        _fake.Replies.Enqueue(new FakeChatReply.Text("I found two homes."));
        using var client = Client();
        List<ChatMessage> history =
        [
            new(ChatRole.User, "Homes in Austin?"),
            new(ChatRole.Assistant, [new FunctionCallContent("call_9", "search_properties", new Dictionary<string, object?> { ["city"] = "Austin" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_9", """[{"id":1},{"id":2}]""")]),
        ];

        var updates = await Stream(client, history);

        Assert.Equal("I found two homes.", string.Concat(updates.Select(u => u.Text)));
        var messages = Assert.Single(_fake.Requests).Body["messages"]!.AsArray();
        var toolCall = messages[1]!["tool_calls"]![0]!;
        Assert.Equal("call_9", toolCall["id"]!.GetValue<string>());
        Assert.Equal("search_properties", toolCall["function"]!["name"]!.GetValue<string>());
        Assert.Contains("Austin", toolCall["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal("tool", messages[2]!["role"]!.GetValue<string>());
        Assert.Equal("call_9", messages[2]!["tool_call_id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(500)]
    [InlineData(429)]
    public async Task Server_errors_fail_fast_after_the_configured_retries(int status)
    {
        _fake.Replies.Enqueue(new FakeChatReply.Failure(status));
        _fake.Replies.Enqueue(new FakeChatReply.Failure(status));
        using var client = Client(o => o.MaxRetries = 1);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Stream(client, [new(ChatRole.User, "Hi")]));

        Assert.Equal(status, error.Status);
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Fact]
    public async Task A_stalled_stream_times_out_instead_of_hanging_the_call()
    {
        _fake.Replies.Enqueue(new FakeChatReply.StallAfterFirstChunk("Let me"));
        using var client = Client(o => { o.NetworkTimeout = TimeSpan.FromMilliseconds(300); o.MaxRetries = 0; });
        var received = new List<string>();

        var started = TimeProvider.System.GetTimestamp();
        var error = await Record.ExceptionAsync(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "Hi")]))
            {
                received.Add(update.Text);
            }
        });

        Assert.NotNull(error);
        Assert.Contains("Let me", received);
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_wrong_key_is_rejected_with_401()
    {
        using var client = AzureOpenAIChatClientFactory.Create(new AzureOpenAIOptions
        {
            Endpoint = _fake.BaseUrl, ApiKey = "wrong", Deployment = FakeAzureOpenAIServer.Deployment, MaxRetries = 0,
        });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Stream(client, [new(ChatRole.User, "Hi")]));
        Assert.Equal(401, error.Status);
    }

    private IChatClient Client(Action<AzureOpenAIOptions>? configure = null)
    {
        var options = new AzureOpenAIOptions { Endpoint = _fake.BaseUrl, ApiKey = FakeAzureOpenAIServer.ApiKey, Deployment = FakeAzureOpenAIServer.Deployment };
        configure?.Invoke(options);
        return AzureOpenAIChatClientFactory.Create(options);
    }

    private static async Task<List<ChatResponseUpdate>> Stream(IChatClient client, List<ChatMessage> messages, ChatOptions? options = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options, timeout.Token)) updates.Add(update);
        return updates;
    }
}
