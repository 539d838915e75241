namespace EstateVoice.Server.Features.Voice.Providers.Local;

/// <summary>The offline recogniser (Debian's pocketsphinx + pocketsphinx-en-us).</summary>
public sealed class PocketsphinxOptions
{
    public string ModelDirectory { get; set; } = "/usr/share/pocketsphinx/model/en-us";

    /// <summary>
    /// Feed the 16 kHz acoustic model upsampled audio (true) or run it at 8 kHz with <c>-nfft 256</c> (false).
    /// Measured on the caller fixtures (see the accuracy test); the better one is the default.
    /// </summary>
    public bool UpsampleTo16k { get; set; } = true;

    /// <summary>What constrains recognition; measured on the caller fixtures (see the accuracy test and the README).</summary>
    public RecognitionMode Mode { get; set; } = RecognitionMode.DomainLanguageModel;

    /// <summary>Mean absolute PCM amplitude a 20 ms frame must exceed to count as speech (also adapts to the line's noise floor).</summary>
    public double MinSpeechEnergy { get; set; } = 300;

    /// <summary>Decoders kept loaded for reuse (loading the acoustic model costs ~0.2 s and ~20 MB).</summary>
    public int MaxIdleDecoders { get; set; } = 2;

    /// <summary>How often a partial (interim) hypothesis is published while the caller speaks.</summary>
    public TimeSpan InterimEvery { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Decode each utterance in one pass at its endpoint (batch cepstral normalisation, as the model was trained)
    /// instead of streaming it (live normalisation, interim results). Measured: see the accuracy test.
    /// </summary>
    public bool DecodeWholeUtterance { get; set; } = true;

    /// <summary>pocketsphinx <c>-lw</c> (language weight; its default is 6.5). The domain model deserves more trust than
    /// the acoustics of 8 kHz audio: 10 measured best (22% WER vs 29% at the default, 41% at 14).</summary>
    public double? LanguageWeight { get; set; } = 10;

    public string AcousticModel => Path.Combine(ModelDirectory, "en-us");
    public string Dictionary => Path.Combine(ModelDirectory, "cmudict-en-us.dict");
    public string LanguageModel => Path.Combine(ModelDirectory, "en-us.lm.bin");
}

public enum RecognitionMode
{
    /// <summary>A trigram model trained per call on domain sentence templates + the call's keywords.</summary>
    DomainLanguageModel,
    /// <summary>Any sequence of domain words (a JSGF word loop).</summary>
    DomainWordLoop,
    /// <summary>pocketsphinx's general en-us language model.</summary>
    GeneralLanguageModel,
}
