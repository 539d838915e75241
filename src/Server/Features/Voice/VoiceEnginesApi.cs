using EstateVoice.Server.Features.Voice.Providers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EstateVoice.Server.Features.Voice;

/// <param name="SpeechToText">"deepgram" or "local" (pocketsphinx).</param>
/// <param name="TextToSpeech">"deepgram" or "espeak" (local).</param>
/// <param name="Agent">"azure-openai" or "local" (the offline agent).</param>
/// <param name="Missing">Engines chosen but not installed (a call would not hear or speak).</param>
public sealed record VoiceEngines(string SpeechToText, string TextToSpeech, string Agent, IReadOnlyList<string> Missing);

/// <summary><c>GET /voice/engines</c>: the speech and agent engines calls use here, for the test-call page to say.</summary>
public static class VoiceEnginesApi
{
    public static IEndpointRouteBuilder MapVoiceEngines(this IEndpointRouteBuilder app)
    {
        app.MapGet("/voice/engines", Ok<VoiceEngines> (VoiceProviderStatus status) =>
            TypedResults.Ok(new VoiceEngines(status.SpeechToText, status.TextToSpeech, status.Chat, status.Missing))).WithTags("Voice");
        return app;
    }
}
