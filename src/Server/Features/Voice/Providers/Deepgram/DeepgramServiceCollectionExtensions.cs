using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EstateVoice.Server.Features.Voice.Providers.Deepgram;

public static class DeepgramServiceCollectionExtensions
{
    /// <summary>Provider key for keyed registrations, matching <c>STT_PROVIDER</c>/<c>TTS_PROVIDER</c> values.</summary>
    public const string ProviderKey = "deepgram";

    /// <summary>Registers <see cref="DeepgramSpeechToText"/> (also keyed <c>"deepgram"</c>); selection is AddVoiceProviders' job.</summary>
    public static IServiceCollection AddDeepgramSpeechToText(this IServiceCollection services)
    {
        services.AddDeepgramOptions();
        services.AddSingleton<DeepgramSpeechToText>();
        services.AddKeyedSingleton<ISpeechToText>(ProviderKey, (sp, _) => sp.GetRequiredService<DeepgramSpeechToText>());
        return services;
    }

    /// <summary>Registers <see cref="DeepgramTextToSpeech"/> over a pooled HttpClient (also keyed <c>"deepgram"</c>).</summary>
    public static IServiceCollection AddDeepgramTextToSpeech(this IServiceCollection services)
    {
        services.AddDeepgramOptions();
        services.AddHttpClient<DeepgramTextToSpeech>(http => http.Timeout = Timeout.InfiniteTimeSpan) // per-call timeouts instead
            .ConfigurePrimaryHttpMessageHandler(Infrastructure.Configuration.SocketCompletions.CreateHandler); // audio chunks continue inline
        services.AddKeyedTransient<ITextToSpeech>(ProviderKey, (sp, _) => sp.GetRequiredService<DeepgramTextToSpeech>());
        return services;
    }

    private static void AddDeepgramOptions(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<DeepgramOptions>()
            .BindConfiguration("Deepgram")
            .Configure<IConfiguration>((o, config) =>
            {
                o.ApiKey = config["DEEPGRAM_API_KEY"] ?? o.ApiKey;
                o.ApiUrl = NonEmpty(config["DEEPGRAM_API_URL"]) ?? o.ApiUrl;
                o.SttModel = NonEmpty(config["DEEPGRAM_STT_MODEL"]) ?? o.SttModel;
                o.TtsModel = NonEmpty(config["DEEPGRAM_TTS_MODEL"]) ?? o.TtsModel;
            })
            .Validate(o => Uri.TryCreate(o.ApiUrl.Contains("://", StringComparison.Ordinal) ? o.ApiUrl : "https://" + o.ApiUrl, UriKind.Absolute, out _),
                "DEEPGRAM_API_URL must be a URL or a host name")
            .ValidateOnStart();
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
