using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Voice.Providers.AzureOpenAI;

public static class AzureOpenAIServiceCollectionExtensions
{
    /// <summary>Provider key, matching <c>LLM_PROVIDER=azure-openai</c>.</summary>
    public const string ProviderKey = "azure-openai";

    /// <summary>
    /// Registers the Azure OpenAI <see cref="IChatClient"/> keyed <c>"azure-openai"</c> (created on first use, so an
    /// unconfigured deployment costs nothing); AddVoiceProviders decides whether it is the agent's client.
    /// </summary>
    public static IServiceCollection AddAzureOpenAIChat(this IServiceCollection services)
    {
        services.AddOptions<AzureOpenAIOptions>()
            .BindConfiguration("AzureOpenAI")
            .Configure<IConfiguration>((o, config) =>
            {
                o.Endpoint = NonEmpty(config["AZURE_OPENAI_ENDPOINT"]) ?? o.Endpoint;
                o.ApiKey = NonEmpty(config["AZURE_OPENAI_API_KEY"]) ?? o.ApiKey;
                o.Deployment = NonEmpty(config["AZURE_OPENAI_DEPLOYMENT"]) ?? o.Deployment;
            })
            .Validate(o => string.IsNullOrWhiteSpace(o.Endpoint) || Uri.TryCreate(o.Endpoint, UriKind.Absolute, out _),
                "AZURE_OPENAI_ENDPOINT must be an absolute URL")
            .Validate(o => string.IsNullOrWhiteSpace(o.ApiKey) || o.IsConfigured,
                "AZURE_OPENAI_API_KEY is set but AZURE_OPENAI_ENDPOINT or AZURE_OPENAI_DEPLOYMENT is missing")
            .ValidateOnStart();
        services.AddKeyedSingleton<IChatClient>(ProviderKey,
            (sp, _) => AzureOpenAIChatClientFactory.Create(sp.GetRequiredService<IOptions<AzureOpenAIOptions>>().Value));
        return services;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
