using System.Net;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

/// <summary>
/// Fetches a recording from an <c>audio_url</c>: 200 required, size capped, time bounded. The API key is sent only
/// to the ElevenLabs API host (ELEVENLABS_API_URL), never to whatever host a URL names.
/// </summary>
public sealed class ElevenLabsAudioDownloader(HttpClient http, ElevenLabsOptions options)
{
    public async Task<byte[]> DownloadAsync(Uri url, CancellationToken cancellationToken)
    {
        var target = url.IsAbsoluteUri ? url : new Uri(options.ApiUrl, url);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.DownloadTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        if (options.ApiKey is not null && Uri.Compare(target, options.ApiUrl, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
            request.Headers.Add("xi-api-key", options.ApiKey);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var status = (int)response.StatusCode;
                // 4xx other than timeouts/throttling will not improve by retrying; an Admin can still retry by hand.
                var permanent = status is >= 400 and < 500 and not 408 and not 429;
                throw new AudioUnavailableException($"audio download answered {status}", permanent);
            }
            if (response.Content.Headers.ContentLength > options.MaxAudioBytes)
                throw new AudioUnavailableException($"audio is {response.Content.Headers.ContentLength} bytes, over the {options.MaxAudioBytes}-byte limit", permanent: true);
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(chunk, timeout.Token)) > 0)
            {
                if (buffer.Length + read > options.MaxAudioBytes)
                    throw new AudioUnavailableException($"audio is over the {options.MaxAudioBytes}-byte limit", permanent: true);
                buffer.Write(chunk, 0, read);
            }
            if (buffer.Length == 0) throw new AudioUnavailableException("audio download was empty", permanent: false);
            return buffer.ToArray();
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AudioUnavailableException($"audio download timed out after {options.DownloadTimeout.TotalSeconds:0.#} s", permanent: false, e);
        }
        catch (HttpRequestException e)
        {
            throw new AudioUnavailableException($"audio download failed: {e.Message}", permanent: false, e);
        }
    }
}
