using System.Net;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

/// <summary>
/// Fetches a recording from an <c>audio_url</c> under <see cref="AudioFetchPolicy"/>: allowed https hosts only,
/// redirects followed by hand so each hop is checked again, 200 with an audio/* body required, size capped while
/// streaming, time bounded. The API key is sent only to the ElevenLabs API origin (ELEVENLABS_API_URL), never to
/// whatever host a URL or a redirect names.
/// </summary>
public sealed class ElevenLabsAudioDownloader(HttpClient http, ElevenLabsOptions options, AudioFetchPolicy policy)
{
    private const int MaxRedirects = 3;

    public async Task<byte[]> DownloadAsync(Uri url, CancellationToken cancellationToken)
    {
        var target = url.IsAbsoluteUri ? url : new Uri(options.ApiUrl, url);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.DownloadTimeout);
        try
        {
            using var response = await SendFollowingRedirectsAsync(target, timeout.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var status = (int)response.StatusCode;
                // 4xx other than timeouts/throttling will not improve by retrying; an Admin can still retry by hand.
                var permanent = status is >= 400 and < 500 and not 408 and not 429;
                throw new AudioUnavailableException($"audio download answered {status}", permanent);
            }
            if (response.Content.Headers.ContentType?.MediaType is not { } mediaType || !mediaType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase))
                throw new AudioUnavailableException($"audio download answered content type '{response.Content.Headers.ContentType?.MediaType ?? "(none)"}', not audio/*", permanent: true);
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
        catch (HttpRequestException e) when (e.InnerException is AudioUnavailableException refused)
        {
            throw refused; // the connect step refused the address
        }
        catch (HttpRequestException e)
        {
            throw new AudioUnavailableException($"audio download failed: {e.Message}", permanent: false, e);
        }
    }

    /// <summary>The first non-redirect response; every hop's URL is checked before it is requested.</summary>
    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(Uri target, CancellationToken cancellationToken)
    {
        for (var hop = 0; ; hop++)
        {
            if (policy.RefuseUrl(target) is { } reason)
                throw new AudioUnavailableException(hop == 0 ? $"refused: {reason}" : $"refused redirect: {reason}", permanent: true);
            using var request = new HttpRequestMessage(HttpMethod.Get, target);
            if (options.ApiKey is not null && Uri.Compare(target, options.ApiUrl, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
                request.Headers.Add("xi-api-key", options.ApiKey);
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!IsRedirect(response.StatusCode)) return response;
            var location = response.Headers.Location;
            response.Dispose();
            if (location is null) throw new AudioUnavailableException("audio download redirected without a location", permanent: true);
            if (hop >= MaxRedirects) throw new AudioUnavailableException($"audio download redirected more than {MaxRedirects} times", permanent: true);
            target = location.IsAbsoluteUri ? location : new Uri(target, location);
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
}
