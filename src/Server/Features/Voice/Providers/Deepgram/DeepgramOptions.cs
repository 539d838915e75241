using System.ComponentModel.DataAnnotations;
namespace EstateVoice.Server.Features.Voice.Providers.Deepgram;

/// <summary>Deepgram live STT and REST TTS settings; bound from <c>DEEPGRAM_*</c> (SPEC section 2).</summary>
public sealed class DeepgramOptions
{
    public string? ApiKey { get; set; }

    /// <summary>Base URL (<c>https://api.deepgram.com</c>) or a bare host; tests point it at a local fake.</summary>
    public string ApiUrl { get; set; } = "https://api.deepgram.com";

    public string SttModel { get; set; } = "nova-3";
    public string TtsModel { get; set; } = "aura-2-thalia-en";
    public string Language { get; set; } = "en";

    /// <summary>Deepgram closes a live socket after 10 s with neither audio nor KeepAlive; we speak up well before.</summary>
    public TimeSpan KeepAliveAfter { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// A live socket that takes this much caller audio (audio time, so a loaded server or a caller's stream pausing
    /// does not count) without sending anything back is stalled: it is replaced and its unanswered audio replayed.
    /// Deepgram answers about every second of speech (interim results) and finalises silence in windows of a few
    /// seconds (empty finals), so a healthy socket never gets near 10 s; a reconnect on a false alarm loses nothing.
    /// </summary>
    public TimeSpan ResultsTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Once our VAD hears the caller stop talking (its silence matches Deepgram's endpointing), Deepgram's final
    /// normally follows within a few hundred ms; this much audio after it with nothing back means the socket
    /// stalled. 1.5 s keeps the caller's wait (this, a reconnect, the replayed final, the reply) under the 3 s budget.
    /// </summary>
    public TimeSpan ResultsTimeoutAfterSpeech { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// When the caller stops talking with words still interim (heard, not yet final), the socket is asked to
    /// finalise them (<c>Finalize</c>, as Pipecat does on the VAD's stop) and must answer within this much audio, or
    /// it stalled: without this, a socket that went quiet after an interim left the turn to end on the interim's
    /// half sentence (the final wait is shorter than <see cref="ResultsTimeoutAfterSpeech"/>). Deepgram answers a
    /// Finalize in a few hundred ms at most.
    /// </summary>
    public TimeSpan FinalizeTimeout { get; set; } = TimeSpan.FromSeconds(0.5);

    /// <summary>How much caller audio not yet covered by a final result is kept for replay after a reconnect.</summary>
    public TimeSpan ReplayBuffer { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Connection attempts after a drop (or a failed first connection) before the session gives up; they back off
    /// to 2 s apart, so the default keeps trying for about half a minute — the voice loop ends the call sooner.
    /// </summary>
    public int MaxReconnectAttempts { get; set; } = 15;

    /// <summary>
    /// Sockets that drop on their own one call may replace before speech-to-text is declared lost ("keeps dropping").
    /// Sockets we replace because they went quiet do not count: the voice loop's outage notice and give-up bound those,
    /// and a long call with a few answered stalls must not run out of reconnects.
    /// </summary>
    [Range(1, 1000)] public int MaxReconnectsPerSession { get; set; } = 20;

    /// <summary>Per connection attempt (a stalled handshake must not hold the retries up).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Upper bound on waiting for the flushed finals after <c>CloseStream</c>.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time to the first TTS byte; the voice loop apologises instead of leaving dead air.</summary>
    public TimeSpan TtsFirstByteTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey);

    /// <summary>Builds an absolute URI for <paramref name="pathAndQuery"/>, mapping http(s) to ws(s) for live sockets.</summary>
    public Uri BuildUri(string pathAndQuery, bool webSocket)
    {
        var baseUrl = ApiUrl.Contains("://", StringComparison.Ordinal) ? ApiUrl : "https://" + ApiUrl;
        var builder = new UriBuilder(baseUrl.TrimEnd('/'));
        if (webSocket)
        {
            builder.Scheme = builder.Scheme switch { "https" => "wss", "http" => "ws", var s => s };
        }
        else
        {
            builder.Scheme = builder.Scheme switch { "wss" => "https", "ws" => "http", var s => s };
        }
        // UriBuilder keeps an explicit default port after a scheme swap; -1 means "the scheme's default".
        if (builder.Uri.IsDefaultPort || builder.Port is 80 or 443) builder.Port = -1;
        var queryStart = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var basePath = builder.Path.TrimEnd('/');
        builder.Path = basePath + (queryStart < 0 ? pathAndQuery : pathAndQuery[..queryStart]);
        builder.Query = queryStart < 0 ? "" : pathAndQuery[(queryStart + 1)..];
        return builder.Uri;
    }
}
