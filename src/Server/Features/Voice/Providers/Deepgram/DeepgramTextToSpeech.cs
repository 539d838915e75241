using System.Buffers;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Voice.Providers.Deepgram;

/// <summary>Deepgram Aura REST synthesis as raw 8 kHz mu-law; chunks are yielded as they arrive, not after the body ends.</summary>
public sealed class DeepgramTextToSpeech(HttpClient http, IOptions<DeepgramOptions> options) : ITextToSpeech
{
    private const int ReadChunkBytes = 1600; // 200 ms of audio: small enough that playback starts early

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeAsync(string text, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text)) yield break;
        var settings = options.Value;
        if (!settings.IsConfigured) throw new InvalidOperationException("DEEPGRAM_API_KEY is not set");

        var uri = settings.BuildUri(
            $"/v1/speak?model={Uri.EscapeDataString(settings.TtsModel)}&encoding=mulaw&sample_rate=8000&container=none", webSocket: false);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = JsonContent.Create(new SpeakRequest(text)) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Token", settings.ApiKey);

        HttpResponseMessage response;
        using (var firstByte = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            firstByte.CancelAfter(settings.TtsFirstByteTimeout);
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, firstByte.Token);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Deepgram TTS did not answer within {settings.TtsFirstByteTimeout}", ex);
            }
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new HttpRequestException(
                    $"Deepgram TTS answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}", null, response.StatusCode);
            }
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            // One buffer for the whole sentence: each chunk is copied by the consumer before the next read.
            var buffer = ArrayPool<byte>.Shared.Rent(ReadChunkBytes);
            try
            {
                while (true)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(0, ReadChunkBytes), cancellationToken);
                    if (read == 0) yield break;
                    yield return buffer.AsMemory(0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private sealed record SpeakRequest(string Text);
}
