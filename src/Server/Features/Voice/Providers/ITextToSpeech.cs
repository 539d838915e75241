namespace EstateVoice.Server.Features.Voice.Providers;

/// <summary>Text-to-speech producing phone audio: raw G.711 mu-law, 8 kHz, mono, no container header.</summary>
public interface ITextToSpeech
{
    /// <summary>
    /// Streams audio for one sentence as the provider produces it (chunks of any size). A chunk is only valid until
    /// the enumeration moves on (a provider may read into one reused buffer): consumers copy what they keep.
    /// </summary>
    IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeAsync(string text, CancellationToken cancellationToken);

    /// <summary>
    /// Whether synthesis goes over a network (so it can stall or drop, and asking again helps): the TTS stage puts
    /// its first-byte and stall timeouts only on these. A local engine (espeak-ng) on a busy machine is slow, not
    /// stuck — cutting it off would lose the sentence.
    /// </summary>
    bool IsRemote => true;
}

/// <summary>
/// The voice the TTS stage falls back to when the main provider keeps failing (espeak-ng beside a cloud voice), or
/// none: then a failed sentence is skipped rather than waited for.
/// </summary>
public sealed record TextToSpeechFallback(ITextToSpeech? Voice)
{
    public static readonly TextToSpeechFallback None = new((ITextToSpeech?)null);
}
