namespace EstateVoice.Server.Features.Webhooks.ElevenLabs;

public static class ElevenLabsWebhookExtensions
{
    /// <summary>Post-call webhooks: verifier, event log, processor, audio downloader and the retry worker. Needs AddStorage().</summary>
    public static IHostApplicationBuilder AddElevenLabsWebhooks(this IHostApplicationBuilder builder)
    {
        var options = ElevenLabsOptions.From(builder.Configuration);
        // Bad settings stop startup with the reason, rather than surfacing as odd webhook behaviour later.
        if (options.Validate().ToList() is { Count: > 0 } problems)
            throw new InvalidOperationException("ElevenLabs settings are invalid: " + string.Join(" ", problems));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<ElevenLabsSignatureVerifier>();
        builder.Services.AddSingleton<SqliteWriteGate>();
        builder.Services.AddSingleton<ElevenLabsEventLogStore>();
        builder.Services.AddSingleton<ElevenLabsEventRunner>();
        builder.Services.AddSingleton<ElevenLabsRetrySignal>();
        builder.Services.AddSingleton<ElevenLabsCallResolver>();
        builder.Services.AddScoped<PostCallProcessor>();
        builder.Services.AddSingleton<AudioFetchPolicy>();
        builder.Services.AddHttpClient<ElevenLabsAudioDownloader>(http => http.Timeout = options.DownloadTimeout + TimeSpan.FromSeconds(5))
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<AudioFetchPolicy>().CreateHandler());
        builder.Services.AddSingleton<ElevenLabsRetryWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ElevenLabsRetryWorker>());
        if (options.WebhookSecret is null)
            builder.Services.AddHostedService<MissingSecretNotice>();
        return builder;
    }

    public static IEndpointRouteBuilder MapElevenLabsApi(this IEndpointRouteBuilder app)
    {
        app.MapElevenLabsWebhooks();
        app.MapWebhookEventsAdminApi();
        return app;
    }

    /// <summary>Says once at startup why every ElevenLabs delivery will get 401.</summary>
    private sealed class MissingSecretNotice(ILogger<MissingSecretNotice> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogWarning("ELEVENLABS_WEBHOOK_SECRET is not set: POST /webhooks/elevenlabs answers 401 to every delivery.");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
