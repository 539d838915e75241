namespace EstateVoice.Server.Features.Voice.Providers.AzureOpenAI;

/// <summary>Azure OpenAI chat deployment; bound from <c>AZURE_OPENAI_ENDPOINT</c>, <c>_API_KEY</c>, <c>_DEPLOYMENT</c>.</summary>
public sealed class AzureOpenAIOptions
{
    public string? Endpoint { get; set; }
    public string? ApiKey { get; set; }
    public string Deployment { get; set; } = "gpt-4.1";

    /// <summary>
    /// Per network operation (connect, first response, each read of the stream). A caller is waiting in silence,
    /// so this is short; the voice loop apologises and offers a human instead of hanging.
    /// </summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Retries inside the SDK. None by default: the voice loop's agent stage retries itself (it knows whether any of
    /// the reply was spoken, and times the first token), and the SDK's back-off would add seconds of dead air.
    /// </summary>
    public int MaxRetries { get; set; }

    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(Endpoint) && !string.IsNullOrWhiteSpace(ApiKey) && !string.IsNullOrWhiteSpace(Deployment);
}
