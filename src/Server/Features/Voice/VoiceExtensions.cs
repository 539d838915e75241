using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Voice.Calls;
using EstateVoice.Server.Features.Voice.Live;
using EstateVoice.Server.Features.Voice.Providers;
using EstateVoice.Server.Features.Voice.Providers.AzureOpenAI;
using EstateVoice.Server.Features.Voice.Providers.Deepgram;
using EstateVoice.Server.Features.Voice.Providers.Local;
using EstateVoice.Server.Features.Voice.Tools;
using EstateVoice.Server.Infrastructure.Configuration;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Voice;

public static class VoiceExtensions
{
    /// <summary>The voice loop: options, providers, stores, live events. Program.cs: <c>builder.AddVoice();</c></summary>
    public static IHostApplicationBuilder AddVoice(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<VoiceOptions>().Bind(builder.Configuration.GetSection(VoiceOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<VoiceOptions>>().Value);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSignalR();
        services.AddAuthorization();
        services.TryAddSingleton<VoiceMetrics>();
        services.TryAddSingleton<IAgentDataStore, EfAgentDataStore>();
        services.TryAddSingleton<IVoiceCallStore, EfVoiceCallStore>();
        services.TryAddSingleton<TurnBatchWriter>();
        services.AddOptions<CallLeaseOptions>().Bind(builder.Configuration.GetSection(CallLeaseOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<CallLeaseSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<CallLeaseSweeper>());
        services.TryAddSingleton<CallsHubListeners>();
        services.AddSingleton<ISessionEndListener>(sp => sp.GetRequiredService<CallsHubListeners>());
        services.AddHostedService<CallsHubSessionCheck>();
        services.TryAddSingleton<MonitorsOnOtherNodes>();
        services.AddHostedService(sp => sp.GetRequiredService<MonitorsOnOtherNodes>());
        services.TryAddSingleton<ICallEventPublisher, SignalRCallEventPublisher>();
        services.TryAddSingleton<ICallControl, NoCallControl>();
        services.TryAddSingleton<IMediaStreamUpgradeValidator, TokenOnlyUpgradeValidator>();
        services.TryAddSingleton<CallPipelineFactory>();
        services.TryAddSingleton(sp => new Stages.PacingClock(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<Agent.ICallerContextSource, Agent.EfCallerContextSource>();
        services.TryAddSingleton<Agent.CallBriefing>();
        services.AddHostedService<PhraseWarmup>();
        Recording.RecordingExtensions.AddCallRecordings(builder);
        builder.AddVoiceProviders();
        return builder;
    }

    /// <summary>
    /// Picks STT, TTS and LLM from STT_PROVIDER / TTS_PROVIDER / LLM_PROVIDER, else from the keys present; the
    /// offline providers are the default so the product runs with no keys.
    /// </summary>
    public static IHostApplicationBuilder AddVoiceProviders(this IHostApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var services = builder.Services;
        var stt = Choose(config["STT_PROVIDER"], config["DEEPGRAM_API_KEY"], "deepgram", "local");
        var tts = Choose(config["TTS_PROVIDER"], config["DEEPGRAM_API_KEY"], "deepgram", "espeak");
        var llm = Choose(config["LLM_PROVIDER"], config["AZURE_OPENAI_API_KEY"], "azure-openai", "local");
        var missing = new List<string>();

        // Registered first; the offline fallbacks below use TryAdd, so a provider chosen here wins.
        if (stt == "deepgram")
        {
            services.AddDeepgramSpeechToText();
            services.TryAddSingleton<ISpeechToText>(sp => sp.GetRequiredService<DeepgramSpeechToText>());
        }
        else if (stt == "local" && PocketsphinxSpeechToText.WhatIsMissing(PocketsphinxSpeechToText.OptionsFrom(config)) is { } sttProblem)
        {
            missing.Add($"speech-to-text: pocketsphinx is missing ({sttProblem}), so callers are not heard; "
                        + "install the apt packages pocketsphinx and pocketsphinx-en-us, fix POCKETSPHINX_MODEL_DIR, or set DEEPGRAM_API_KEY");
        }
        else if (stt == "local")
        {
            services.AddPocketsphinxSpeechToText();
            services.TryAddSingleton<ISpeechToText>(sp => sp.GetRequiredService<PocketsphinxSpeechToText>());
        }
        if (tts == "deepgram")
        {
            services.AddDeepgramTextToSpeech();
            services.TryAddKeyedSingleton<ITextToSpeech>(ProviderKey, (sp, _) => sp.GetRequiredService<DeepgramTextToSpeech>());
        }
        if (llm == "azure-openai")
        {
            services.AddAzureOpenAIChat();
            services.TryAddSingleton(sp => sp.GetRequiredKeyedService<IChatClient>(AzureOpenAIServiceCollectionExtensions.ProviderKey));
            services.AddHostedService<ChatWarmup>();
        }
        if (tts == "espeak" && !EspeakTextToSpeech.IsInstalled())
            missing.Add("text-to-speech: espeak-ng is not on the PATH, so the agent cannot speak; install the apt package espeak-ng or set DEEPGRAM_API_KEY");
        // A missing provider is a startup error and /health "degraded", not a call that silently hears nothing.
        services.AddSingleton(new VoiceProviderStatus(stt, tts, llm, missing));
        services.AddHostedService<VoiceProviderStartupCheck>();
        services.AddHealthChecks().AddCheck<VoiceProviderHealthCheck>("voice");
        services.TryAddSingleton<ISpeechToText, NullSpeechToText>();
        services.TryAddKeyedSingleton<ITextToSpeech>(ProviderKey, (sp, _) => ActivatorUtilities.CreateInstance<EspeakTextToSpeech>(sp));
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<VoiceOptions>>().Value;
            var recording = sp.GetService<Recording.RecordingOptions>();
            return new CachedPhrasesTextToSpeech(sp.GetRequiredKeyedService<ITextToSpeech>(ProviderKey),
                [o.EffectiveGreeting, .. recording?.OpeningLines ?? [], o.Filler, o.IdlePrompt, o.Apology, Stages.LlmStage.TransferPhrase, .. o.FaultPhrases, .. o.CallControlPhrases]);
        });
        // A cloud voice gets espeak-ng (when installed) as its fallback; espeak-ng itself has none.
        services.TryAddSingleton(sp => tts != "espeak" && EspeakTextToSpeech.IsInstalled()
            ? new TextToSpeechFallback(ActivatorUtilities.CreateInstance<EspeakTextToSpeech>(sp))
            : TextToSpeechFallback.None);
        services.TryAddSingleton<ITextToSpeech>(sp => sp.GetRequiredService<CachedPhrasesTextToSpeech>());

        services.TryAddSingleton<IChatClient, LocalChatClient>();
        return builder;
    }

    /// <summary>The synthesis provider behind the phrase cache (register a cloud one under this key to replace espeak-ng).</summary>
    public const string ProviderKey = "voice-tts-provider";

    private static string Choose(string? forced, string? key, string cloud, string local) =>
        !string.IsNullOrWhiteSpace(forced) ? forced.Trim().ToLowerInvariant()
        : !string.IsNullOrWhiteSpace(key) ? cloud
        : local;

    /// <summary>Program.cs: <c>app.MapVoice();</c> — media streams, browser test calls, the live-events hub.</summary>
    public static WebApplication MapVoice(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
        // A call's media socket joins the provider sockets on inline completions (SocketCompletions); API requests do not.
        app.Use((context, next) =>
        {
            if (context.WebSockets.IsWebSocketRequest
                && (context.Request.Path == MediaStreamEndpoint.TwilioPath || context.Request.Path == MediaStreamEndpoint.BrowserPath)
                && context.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionSocketFeature>()?.Socket is { } socket)
                SocketCompletions.RunInline(socket);
            return next(context);
        });
        app.MapMediaStreams();
        app.MapVoiceEngines();
        // Also closes a connection when its token expires (otherwise it could outlive the token by days).
        app.MapHub<CallsHub>(CallsHub.Path, hub => hub.CloseOnAuthenticationExpiration = true);
        return app;
    }

    /// <summary>
    /// Builds the cloud chat client and sends it one tiny streamed request at startup, so the first caller's turn
    /// does not pay for the client's construction, the connection (TCP + TLS) and the first-use cost of the SDK's
    /// request and streaming code (100–300 ms on a small machine); failures are only logged.
    /// </summary>
    private sealed class ChatWarmup(IServiceProvider services, ILogger<ChatWarmup> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                var chat = services.GetRequiredKeyedService<IChatClient>(AzureOpenAIServiceCollectionExtensions.ProviderKey);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(20));
                // The agent's tool definitions go along (tool choice "none") so their schemas and serialisation are warm too.
                var tools = new AgentTools(services.GetRequiredService<IAgentDataStore>(), NoCallFacts.Instance,
                    services.GetRequiredService<TimeProvider>()).Create();
                var options = new ChatOptions { MaxOutputTokens = 16, Tools = tools, ToolMode = ChatToolMode.None };
                await foreach (var _ in chat.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Reply with OK.")],
                                   options, timeout.Token).ConfigureAwait(false))
                {
                }
                logger.LogInformation("Chat client warmed up");
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Chat client warm-up failed; the first call will set up the connection");
            }
        }
    }

    /// <summary>
    /// Synthesises the fixed phrases before the server starts listening, so even the first caller hears the
    /// greeting within the 1.5 s target. Capped: a slow cloud TTS must not hold startup hostage.
    /// </summary>
    private sealed class PhraseWarmup(CachedPhrasesTextToSpeech cache, ILogger<PhraseWarmup> logger) : IHostedService
    {
        private static readonly TimeSpan Cap = TimeSpan.FromSeconds(10);

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Cap);
            try
            {
                await cache.WarmUpAsync(timeout.Token).ConfigureAwait(false);
                logger.LogInformation("Voice phrases cached: {Count}", cache.Phrases.Count);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Could not pre-synthesise the greeting; it will be synthesised on the first call");
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
