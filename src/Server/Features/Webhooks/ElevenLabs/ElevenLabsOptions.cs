using System.Globalization;

namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

/// <summary>
/// ElevenLabs post-call webhooks, configured by the seed's flat names. With no <c>ELEVENLABS_WEBHOOK_SECRET</c>
/// the endpoint answers 401 to everything (nothing can be verified).
/// </summary>
public sealed class ElevenLabsOptions
{
    public string? WebhookSecret { get; set; }
    public string? ApiKey { get; set; }
    public Uri ApiUrl { get; set; } = new("https://api.elevenlabs.io/");
    /// <summary>Hosts an <c>audio_url</c> may name (https only), besides ELEVENLABS_API_URL's: ElevenLabs' API hosts by default.</summary>
    public IReadOnlyList<string> AudioHosts { get; set; } = DefaultAudioHosts;
    /// <summary>Tests and local fakes only: ELEVENLABS_API_URL's own origin may be http on a loopback/private address.</summary>
    public bool AllowLocalApiUrl { get; set; }
    /// <summary>How old a signature's t= may be (the seed's 5 minutes; ElevenLabs' SDK allows 30). Also the allowed clock skew into the future.</summary>
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Events whose event_timestamp is older than this are stored but not applied (late or replayed).</summary>
    public TimeSpan EventMaxAge { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>post_call_audio carries the whole call as base64 MP3; bigger bodies get 413.</summary>
    public long MaxBodyBytes { get; set; } = 20 * 1024 * 1024;
    public long MaxAudioBytes { get; set; } = 50 * 1024 * 1024;
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public int MaxAttempts { get; set; } = 8;
    /// <summary>First retry delay; doubles per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>A claimed event is someone's for this long; if its node dies, another node takes it after.</summary>
    public TimeSpan ProcessingLease { get; set; } = TimeSpan.FromMinutes(2);
    public TimeSpan WorkerPollInterval { get; set; } = TimeSpan.FromSeconds(5);
    public int RateLimitPerMinute { get; set; } = 600;

    /// <summary>ElevenLabs' documented API hosts: global, US, EU and India data residency.</summary>
    public static readonly IReadOnlyList<string> DefaultAudioHosts =
        ["api.elevenlabs.io", "api.us.elevenlabs.io", "api.eu.residency.elevenlabs.io", "api.in.residency.elevenlabs.io"];

    public static ElevenLabsOptions From(IConfiguration configuration)
    {
        var options = new ElevenLabsOptions
        {
            WebhookSecret = NonEmpty(configuration["ELEVENLABS_WEBHOOK_SECRET"]),
            ApiKey = NonEmpty(configuration["ELEVENLABS_API_KEY"]),
        };
        if (NonEmpty(configuration["ELEVENLABS_API_URL"]) is { } url)
            options.ApiUrl = new Uri(url.EndsWith('/') ? url : url + "/");
        if (NonEmpty(configuration["ELEVENLABS_AUDIO_HOSTS"]) is { } hosts)
            options.AudioHosts = hosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        options.AllowLocalApiUrl = bool.TryParse(configuration["ELEVENLABS_API_URL_ALLOW_LOCAL"], out var allowLocal) && allowLocal;
        options.SignatureTolerance = Seconds(configuration, "ELEVENLABS_SIGNATURE_TOLERANCE_SECONDS", options.SignatureTolerance);
        options.EventMaxAge = Seconds(configuration, "ELEVENLABS_EVENT_MAX_AGE_SECONDS", options.EventMaxAge);
        options.DownloadTimeout = Seconds(configuration, "ELEVENLABS_DOWNLOAD_TIMEOUT_SECONDS", options.DownloadTimeout);
        options.RetryBaseDelay = Seconds(configuration, "ELEVENLABS_RETRY_BASE_DELAY_SECONDS", options.RetryBaseDelay);
        options.WorkerPollInterval = Seconds(configuration, "ELEVENLABS_WORKER_POLL_SECONDS", options.WorkerPollInterval);
        options.MaxBodyBytes = Long(configuration, "ELEVENLABS_MAX_BODY_BYTES", options.MaxBodyBytes);
        options.MaxAudioBytes = Long(configuration, "ELEVENLABS_MAX_AUDIO_BYTES", options.MaxAudioBytes);
        options.MaxAttempts = (int)Long(configuration, "ELEVENLABS_MAX_ATTEMPTS", options.MaxAttempts);
        options.RateLimitPerMinute = (int)Long(configuration, "ELEVENLABS_WEBHOOK_RATE_LIMIT_PER_MINUTE", options.RateLimitPerMinute);
        return options;
    }

    public IEnumerable<string> Validate()
    {
        if (!ApiUrl.IsAbsoluteUri || ApiUrl.Scheme is not ("http" or "https")) yield return "ELEVENLABS_API_URL must be an http(s) URL.";
        if (SignatureTolerance <= TimeSpan.Zero) yield return "ELEVENLABS_SIGNATURE_TOLERANCE_SECONDS must be positive.";
        if (MaxAttempts < 1) yield return "ELEVENLABS_MAX_ATTEMPTS must be at least 1.";
        if (RateLimitPerMinute < 1) yield return "ELEVENLABS_WEBHOOK_RATE_LIMIT_PER_MINUTE must be at least 1.";
        if (MaxAudioBytes < 1) yield return "ELEVENLABS_MAX_AUDIO_BYTES must be positive.";
        if (MaxBodyBytes < 1024) yield return "ELEVENLABS_MAX_BODY_BYTES must be at least 1024.";
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static TimeSpan Seconds(IConfiguration configuration, string key, TimeSpan fallback) =>
        double.TryParse(configuration[key], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds) : fallback;

    private static long Long(IConfiguration configuration, string key, long fallback) =>
        long.TryParse(configuration[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
