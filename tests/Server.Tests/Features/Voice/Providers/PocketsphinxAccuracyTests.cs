using EstateVoice.Server.Features.Voice.Providers;
using EstateVoice.Server.Features.Voice.Providers.Local;
using EstateVoice.Server.Tests.Fakes;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace EstateVoice.Server.Tests.Features.Voice.Providers;

/// <summary>Word error rate of the offline recogniser on the caller fixtures (synthetic 8 kHz mu-law calls).</summary>
public sealed class PocketsphinxAccuracyTests(ITestOutputHelper output)
{
    internal static readonly string[] Cities = ["Austin", "Dallas", "Houston", "San Antonio"];

    [Theory]
    [InlineData(RecognitionMode.DomainLanguageModel, true)]
    [InlineData(RecognitionMode.DomainLanguageModel, false)]
    [InlineData(RecognitionMode.DomainWordLoop, true)]
    [InlineData(RecognitionMode.GeneralLanguageModel, true)]
    [InlineData(RecognitionMode.GeneralLanguageModel, false)]
    public async Task Measures_word_error_rate(RecognitionMode mode, bool upsample)
    {
        var options = new PocketsphinxOptions { Mode = mode, UpsampleTo16k = upsample };
        using var stt = new PocketsphinxSpeechToText(Options.Create(options));
        int errors = 0, words = 0;
        foreach (var (name, expected) in AudioFixtures.Transcripts().OrderBy(t => t.Key))
        {
            var heard = await RecogniseAsync(stt, AudioFixtures.MuLaw(name));
            var (e, n) = WordErrors(expected, heard);
            errors += e;
            words += n;
            output.WriteLine($"{name,-15} {e,2}/{n,-2} heard: {heard}");
        }
        output.WriteLine($"mode={mode} upsample={upsample}: WER {(double)errors / words:P1} ({errors}/{words})");
    }

    internal static async Task<string> RecogniseAsync(ISpeechToText stt, byte[] utterance)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var session = await stt.StartAsync(new SpeechToTextOptions("CA-local", EndpointingMs: 300, Keywords: Cities), timeout.Token);
        var audio = utterance.Concat(MuLaw.SilenceBytes(TimeSpan.FromMilliseconds(500))).ToArray();
        for (var i = 0; i < audio.Length; i += 160) await session.SendAudioAsync(audio.AsMemory(i, Math.Min(160, audio.Length - i)), timeout.Token);
        await session.CompleteAsync(timeout.Token);
        var finals = new List<string>();
        await foreach (var e in session.ReadEventsAsync(timeout.Token))
        {
            if (e is SttTranscript { IsFinal: true } t && t.Text.Length > 0) finals.Add(t.Text);
        }
        return string.Join(' ', finals);
    }

    /// <summary>Word-level Levenshtein distance (substitutions + deletions + insertions) and the reference length.</summary>
    internal static (int Errors, int Words) WordErrors(string reference, string hypothesis)
    {
        var r = Normalize(reference);
        var h = Normalize(hypothesis);
        var d = new int[r.Length + 1, h.Length + 1];
        for (var i = 0; i <= r.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= h.Length; j++) d[0, j] = j;
        for (var i = 1; i <= r.Length; i++)
        for (var j = 1; j <= h.Length; j++)
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (r[i - 1] == h[j - 1] ? 0 : 1));
        return (d[r.Length, h.Length], r.Length);
    }

    private static string[] Normalize(string text) => DomainVocabulary.Words(text).ToArray();
}
