namespace EstateVoice.Server.Features.Voice.Providers;

/// <summary>Text-to-speech producing phone audio: raw G.711 mu-law, 8 kHz, mono, no container header.</summary>
public interface ITextToSpeech
{
    /// <summary>
    /// Streams audio for one sentence as the provider produces it (chunks of any size). A chunk is only valid until
    /// the enumeration moves on (a provider may read into one reused buffer): consumers copy what they keep.
    /// </summary>
    IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeAsync(string text, CancellationToken cancellationToken);
}
