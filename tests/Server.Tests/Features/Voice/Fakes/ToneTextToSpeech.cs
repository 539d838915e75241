using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using EstateVoice.Server.Features.Voice.Providers;
using EstateVoice.Server.Features.Voice.Twilio;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice.Fakes;

/// <summary>Speaks any sentence as a quiet tone whose length follows the word count; remembers what it was asked to say.</summary>
public sealed class ToneTextToSpeech(int msPerWord = 40, TimeSpan firstByteDelay = default) : ITextToSpeech
{
    public ConcurrentQueue<string> Spoken { get; } = new();
    public bool Fail { get; set; }

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeAsync(string text, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (Fail) throw new InvalidOperationException("text-to-speech unavailable");
        Spoken.Enqueue(text);
        if (firstByteDelay > TimeSpan.Zero) await Task.Delay(firstByteDelay, cancellationToken);
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var audio = AudioFixtures.Tone(Math.Max(1, words) * msPerWord, amplitude: 3000);
        for (var i = 0; i < audio.Length; i += 800)
            yield return audio.AsMemory(i, Math.Min(800, audio.Length - i));
    }

    public static int DurationMs(string text, int msPerWord) =>
        Math.Max(1, text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length) * msPerWord;

    public const int FrameMs = MuLaw.FrameMs;
}
