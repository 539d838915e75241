using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EstateVoice.Server.Features.Voice.Providers;

/// <summary>
/// The voice providers chosen at startup and those that could not be loaded. A missing offline recogniser used to
/// fall back silently to <see cref="NullSpeechToText"/>: calls ran and heard nothing. Now each missing provider is an
/// error in the startup log and makes <c>/health</c> report <c>degraded</c> (the call still runs: greeting, DTMF, typed
/// test-call turns), naming what is missing and how to fix it.
/// </summary>
public sealed record VoiceProviderStatus(string SpeechToText, string TextToSpeech, string Chat, IReadOnlyList<string> Missing)
{
    public string Summary => $"speech-to-text {SpeechToText}, text-to-speech {TextToSpeech}, chat {Chat}";
}

/// <summary><c>/health</c>'s <c>voice</c> entry: healthy with the providers in use, degraded with what is missing.</summary>
internal sealed class VoiceProviderHealthCheck(VoiceProviderStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.Missing.Count == 0
            ? HealthCheckResult.Healthy(status.Summary)
            : HealthCheckResult.Degraded(string.Join("; ", status.Missing)));
}

/// <summary>Logs each missing provider as an error while the server starts, before the first call can reach it.</summary>
internal sealed partial class VoiceProviderStartupCheck(VoiceProviderStatus status, ILogger<VoiceProviderStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var missing in status.Missing) LogMissing(missing);
        if (status.Missing.Count == 0) LogProviders(status.Summary);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Error, Message = "voice_provider_missing: {Missing}")]
    private partial void LogMissing(string missing);

    [LoggerMessage(Level = LogLevel.Information, Message = "voice_providers: {Summary}")]
    private partial void LogProviders(string summary);
}
