using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EstateVoice.Server.Features.Voice.Providers;
using Microsoft.Extensions.AI;

namespace EstateVoice.Server.Features.Voice;

public sealed partial class CallTrace
{
    /// <summary>A span per model round (one streamed request, retries included), with its first-token time and tool calls.</summary>
    private sealed class TracingChatClient(CallTrace trace, IChatClient inner) : DelegatingChatClient(inner)
    {
        public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
            ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            TraceAsync(base.GetStreamingResponseAsync(messages, options, cancellationToken), options, cancellationToken);

        private async IAsyncEnumerable<ChatResponseUpdate> TraceAsync(IAsyncEnumerable<ChatResponseUpdate> stream, ChatOptions? options,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            using var span = trace.StartChild(VoiceTracing.LlmSpan, ActivityKind.Client);
            span?.SetTag("gen_ai.operation.name", "chat");
            span?.SetTag("voice.llm.round", trace.NextRound());
            if ((options?.ModelId ?? InnerClient.GetService<ChatClientMetadata>()?.DefaultModelId) is { } model)
                span?.SetTag("gen_ai.request.model", model);
            var started = Stopwatch.GetTimestamp();
            var firstToken = false;
            var toolCalls = 0;
            var outcome = "cancelled"; // unless it completes or fails: the consumer stopped reading (a barge-in, the call ended)
            var enumerator = stream.GetAsyncEnumerator(cancellationToken);
            try
            {
                while (true)
                {
                    ChatResponseUpdate update;
                    try
                    {
                        if (!await enumerator.MoveNextAsync().ConfigureAwait(false)) break;
                        update = enumerator.Current;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        outcome = "error";
                        span?.SetStatus(ActivityStatusCode.Error, ex.Message);
                        span?.SetTag("error.type", ex.GetType().FullName);
                        throw;
                    }
                    foreach (var content in update.Contents)
                    {
                        if (content is TextContent { Text.Length: > 0 } && !firstToken)
                        {
                            firstToken = true;
                            span?.SetTag("voice.llm.first_token_ms", Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds));
                        }
                        else if (content is FunctionCallContent) toolCalls++;
                    }
                    yield return update;
                }
                outcome = "ok";
            }
            finally
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
                span?.SetTag("voice.llm.tool_calls", toolCalls);
                span?.SetTag("voice.outcome", outcome);
            }
        }
    }

    /// <summary>A span per tool call: its name and outcome (ok, error — a thrown or reported error — or cancelled).</summary>
    private sealed class TracingFunction(CallTrace trace, AIFunction inner) : DelegatingAIFunction(inner)
    {
        protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
        {
            using var span = trace.StartChild(VoiceTracing.ToolSpan);
            span?.SetTag("gen_ai.operation.name", "execute_tool");
            span?.SetTag("gen_ai.tool.name", Name);
            try
            {
                var result = await base.InvokeCoreAsync(arguments, cancellationToken).ConfigureAwait(false);
                span?.SetTag("voice.outcome", ReportsError(result) ? "error" : "ok");
                return result;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                span?.SetTag("voice.outcome", "cancelled");
                throw;
            }
            catch (Exception ex)
            {
                span?.SetTag("voice.outcome", "error");
                span?.SetTag("error.type", ex.GetType().FullName);
                span?.SetStatus(ActivityStatusCode.Error, ex.Message);
                throw;
            }
        }

        /// <summary>The tools answer a refusal as <c>{ "error": "…" }</c> (no such property, a slot taken) rather than throwing.</summary>
        private static bool ReportsError(object? result) => result switch
        {
            JsonElement { ValueKind: JsonValueKind.Object } json => json.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null,
            null => false,
            _ => result.GetType().GetProperty("error")?.GetValue(result) is not null,
        };
    }

    /// <summary>A span per synthesis request (one sentence; a retry is another), with its first-byte time and size.</summary>
    private sealed class TracingTextToSpeech(CallTrace trace, ITextToSpeech inner, bool fallback) : ITextToSpeech
    {
        public bool IsRemote => inner.IsRemote;

        public async IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeAsync(string text, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            using var span = trace.StartChild(VoiceTracing.TtsSpan, ActivityKind.Client);
            span?.SetTag("voice.tts.characters", text.Length);
            if (fallback) span?.SetTag("voice.tts.fallback", true);
            var started = Stopwatch.GetTimestamp();
            long bytes = 0;
            var outcome = "cancelled";
            var enumerator = inner.SynthesizeAsync(text, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (true)
                {
                    ReadOnlyMemory<byte> chunk;
                    try
                    {
                        if (!await enumerator.MoveNextAsync().ConfigureAwait(false)) break;
                        chunk = enumerator.Current;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        outcome = "error";
                        span?.SetStatus(ActivityStatusCode.Error, ex.Message);
                        span?.SetTag("error.type", ex.GetType().FullName);
                        throw;
                    }
                    if (bytes == 0 && !chunk.IsEmpty)
                        span?.SetTag("voice.tts.first_byte_ms", Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds));
                    bytes += chunk.Length;
                    yield return chunk;
                }
                outcome = "ok";
            }
            finally
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
                span?.SetTag("voice.tts.bytes", bytes);
                span?.SetTag("voice.outcome", outcome);
            }
        }
    }
}
