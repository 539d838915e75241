using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Microsoft.Extensions.AI;

namespace EstateVoice.Server.Features.Voice.Providers.AzureOpenAI;

/// <summary>Builds the <see cref="IChatClient"/> for an Azure OpenAI deployment through the official SDK (streaming, tool calls).</summary>
public static class AzureOpenAIChatClientFactory
{
    public static IChatClient Create(AzureOpenAIOptions options)
    {
        if (!options.IsConfigured)
        {
            throw new InvalidOperationException("AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY and AZURE_OPENAI_DEPLOYMENT must all be set");
        }
        var clientOptions = new AzureOpenAIClientOptions
        {
            NetworkTimeout = options.NetworkTimeout,
            RetryPolicy = new ClientRetryPolicy(options.MaxRetries),
            // The reply streams over a socket whose continuations run inline (no pool hop per chunk).
            Transport = new HttpClientPipelineTransport(new HttpClient(Infrastructure.Configuration.SocketCompletions.CreateHandler())),
        };
        var client = new AzureOpenAIClient(new Uri(options.Endpoint!), new ApiKeyCredential(options.ApiKey!), clientOptions);
        return client.GetChatClient(options.Deployment).AsIChatClient();
    }
}
