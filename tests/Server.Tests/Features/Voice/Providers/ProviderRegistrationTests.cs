using EstateVoice.Server.Features.Telephony;
using EstateVoice.Server.Features.Voice.Providers;
using EstateVoice.Server.Features.Voice.Providers.AzureOpenAI;
using EstateVoice.Server.Features.Voice.Providers.Deepgram;
using EstateVoice.Server.Features.Voice.Providers.Local;
using EstateVoice.Server.Infrastructure.Configuration;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Tests.Features.Voice.Providers;

public sealed class ProviderRegistrationTests
{
    [Fact]
    public void Options_bind_from_the_flat_environment_names_and_providers_resolve_by_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DEEPGRAM_API_KEY"] = "dg-key", ["DEEPGRAM_API_URL"] = "http://127.0.0.1:5001",
            ["AZURE_OPENAI_ENDPOINT"] = "http://127.0.0.1:5002", ["AZURE_OPENAI_API_KEY"] = "az-key", ["AZURE_OPENAI_DEPLOYMENT"] = "gpt-41",
            ["TWILIO_ACCOUNT_SID"] = "AC1", ["TWILIO_AUTH_TOKEN"] = "tok", ["TWILIO_PHONE_NUMBER"] = "+15125550123",
            ["TWILIO_API_URL"] = "http://127.0.0.1:5003", ["PUBLIC_BASE_URL"] = "https://voice.example.com",
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(new DemoOptions())
            .AddLogging();
        services.AddDeepgramSpeechToText().AddDeepgramTextToSpeech().AddAzureOpenAIChat().AddPocketsphinxSpeechToText().AddTelephony();
        using var provider = services.BuildServiceProvider();

        var deepgram = provider.GetRequiredService<IOptions<DeepgramOptions>>().Value;
        Assert.Equal(("dg-key", "http://127.0.0.1:5001"), (deepgram.ApiKey, deepgram.ApiUrl));
        Assert.Equal("ws://127.0.0.1:5001/v1/listen?x=1", deepgram.BuildUri("/v1/listen?x=1", webSocket: true).ToString());
        Assert.Equal("wss://api.deepgram.com/v1/listen", new DeepgramOptions().BuildUri("/v1/listen", webSocket: true).ToString());
        Assert.Equal("https://api.deepgram.com/v1/speak", new DeepgramOptions { ApiUrl = "api.deepgram.com" }.BuildUri("/v1/speak", false).ToString());
        var azure = provider.GetRequiredService<IOptions<AzureOpenAIOptions>>().Value;
        Assert.Equal(("http://127.0.0.1:5002", "az-key", "gpt-41"), (azure.Endpoint, azure.ApiKey, azure.Deployment));
        var twilio = provider.GetRequiredService<IOptions<TwilioOptions>>().Value;
        Assert.Equal(("AC1", "tok", "+15125550123", "http://127.0.0.1:5003", "https://voice.example.com"),
            (twilio.AccountSid, twilio.AuthToken, twilio.PhoneNumber, twilio.ApiUrl, twilio.PublicBaseUrl));

        Assert.IsType<DeepgramSpeechToText>(provider.GetRequiredKeyedService<ISpeechToText>("deepgram"));
        Assert.IsType<DeepgramTextToSpeech>(provider.GetRequiredKeyedService<ITextToSpeech>("deepgram"));
        Assert.IsType<PocketsphinxSpeechToText>(provider.GetRequiredKeyedService<ISpeechToText>("local"));
        Assert.NotNull(provider.GetRequiredKeyedService<IChatClient>("azure-openai"));
        Assert.NotNull(provider.GetRequiredService<TwilioCalls>());
        Assert.Contains(services, d => d.ServiceType == typeof(EstateVoice.Server.Features.Voice.Calls.ICallControl)
                                       && d.ImplementationType == typeof(TwilioTransferCallControl)); // resolving it needs the web host (IServer)
    }
}
