namespace EstateVoice.Server.Features.Voice.Providers.Local;

public static class PocketsphinxServiceCollectionExtensions
{
    /// <summary>Provider key, matching <c>STT_PROVIDER=local</c>.</summary>
    public const string ProviderKey = "local";

    /// <summary>Registers <see cref="PocketsphinxSpeechToText"/> (also keyed <c>"local"</c>); AddVoiceProviders picks the provider.</summary>
    public static IServiceCollection AddPocketsphinxSpeechToText(this IServiceCollection services)
    {
        services.AddOptions<PocketsphinxOptions>()
            .BindConfiguration("Pocketsphinx")
            .Configure<IConfiguration>((o, config) =>
            {
                if (config["POCKETSPHINX_MODEL_DIR"] is { Length: > 0 } dir) o.ModelDirectory = dir;
            });
        services.AddSingleton<PocketsphinxSpeechToText>();
        services.AddKeyedSingleton<ISpeechToText>(ProviderKey, (sp, _) => sp.GetRequiredService<PocketsphinxSpeechToText>());
        return services;
    }
}
