using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace EstateVoice.Server.Tests.Features.Voice.Fakes;

/// <summary>
/// A model that answers each caller turn in two rounds: first a call of <paramref name="tool"/> with
/// <paramref name="arguments"/>, then, once the tool's result is in, the one-line <see cref="Reply"/>.
/// </summary>
public sealed class ToolThenReplyChat(string tool, Dictionary<string, object?> arguments) : IChatClient
{
    public const string Reply = "We have a lovely house on Barton Springs Road.";

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        if (messages.Last().Role == ChatRole.Tool)
            yield return new ChatResponseUpdate(ChatRole.Assistant, Reply);
        else
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new FunctionCallContent("c" + Guid.NewGuid().ToString("N")[..6], tool, arguments)]);
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;
    public void Dispose() { }
}
