using System.Globalization;
using System.Runtime.InteropServices;

namespace EstateVoice.Server.Features.Voice.Providers.Local;

/// <summary>One native pocketsphinx decoder. Not thread-safe: one utterance stream at a time (sessions rent it from a pool).</summary>
internal sealed class PocketsphinxDecoder : IDisposable
{
    private const string GrammarSearch = "domain";
    private const string LanguageModelSearch = "_default"; // pocketsphinx's name for the -lm search
    private IntPtr _decoder;
    private bool _inUtterance;
    private string? _searchKey;

    private PocketsphinxDecoder(IntPtr decoder, int sampleRate)
    {
        _decoder = decoder;
        SampleRate = sampleRate;
    }

    public int SampleRate { get; }

    public static PocketsphinxDecoder Create(PocketsphinxOptions options)
    {
        var sampleRate = options.UpsampleTo16k ? 16000 : 8000;
        var args = new List<string>
        {
            "-hmm", sampleRate == 8000 ? NarrowbandModel.Prepare(options.AcousticModel) : options.AcousticModel,
            "-dict", options.Dictionary,
            "-logfn", "/dev/null",
            "-samprate", sampleRate.ToString(CultureInfo.InvariantCulture),
        };
        // The general language model costs ~40 MB per decoder; only load it when it is the search we use.
        if (options.Mode == RecognitionMode.GeneralLanguageModel) args.AddRange(["-lm", options.LanguageModel]);
        // 8 kHz: a 256-point FFT; the filterbank's upper edge comes from the narrowband copy of feat.params.
        if (sampleRate == 8000) args.AddRange(["-nfft", "256"]);
        if (options.LanguageWeight is { } lw) args.AddRange(["-lw", lw.ToString(CultureInfo.InvariantCulture)]);
        var config = PocketsphinxNative.cmd_ln_parse_r(IntPtr.Zero, PocketsphinxNative.ps_args(), args.Count, [.. args], 1);
        if (config == IntPtr.Zero) throw new InvalidOperationException("pocketsphinx rejected its configuration: " + string.Join(' ', args));
        var decoder = PocketsphinxNative.ps_init(config);
        _ = PocketsphinxNative.cmd_ln_free_r(config); // ps_init keeps its own reference; the remaining count is not ours
        if (decoder == IntPtr.Zero) throw new InvalidOperationException($"pocketsphinx could not load the model in {options.ModelDirectory}");
        var result = new PocketsphinxDecoder(decoder, sampleRate);
        // A word the dictionary already has is refused (-1): its own pronunciation then stands, which is fine.
        foreach (var (word, phones) in DomainVocabulary.ExtraPronunciations) _ = PocketsphinxNative.ps_add_word(decoder, word, phones, 1);
        return result;
    }

    /// <summary>The general en-us language model (only loaded in <see cref="RecognitionMode.GeneralLanguageModel"/>).</summary>
    public void UseGeneralLanguageModel() => Check(PocketsphinxNative.ps_set_search(_decoder, LanguageModelSearch), "ps_set_search(general)");

    /// <summary>Recognise any sequence of these words (a JSGF word loop).</summary>
    public void UseWordLoop(IReadOnlyCollection<string> words, string key)
    {
        if (key == _searchKey) return;
        var jsgf = "#JSGF V1.0;\ngrammar domain;\npublic <utterance> = <word>+;\n<word> = " + string.Join(" | ", words) + ";\n";
        Check(PocketsphinxNative.ps_set_jsgf_string(_decoder, GrammarSearch, jsgf), "ps_set_jsgf_string");
        Check(PocketsphinxNative.ps_set_search(_decoder, GrammarSearch), "ps_set_search(domain)");
        _searchKey = key;
    }

    /// <summary>Loads an ARPA language model (the same <paramref name="key"/> as last time is a no-op: calls reuse decoders).</summary>
    public void UseLanguageModel(Func<string> arpa, string key)
    {
        if (key == _searchKey) return;
        var path = Path.Combine(Path.GetTempPath(), $"estate-voice-{Guid.NewGuid():N}.lm");
        try
        {
            File.WriteAllText(path, arpa());
            Check(PocketsphinxNative.ps_set_lm_file(_decoder, GrammarSearch, path), "ps_set_lm_file");
        }
        finally
        {
            File.Delete(path); // read fully at load time
        }
        Check(PocketsphinxNative.ps_set_search(_decoder, GrammarSearch), "ps_set_search(domain)");
        _searchKey = key;
    }

    public void StartUtterance()
    {
        Check(PocketsphinxNative.ps_start_utt(_decoder), "ps_start_utt");
        _inUtterance = true;
    }

    public void Process(short[] samples, int count, bool wholeUtterance = false)
    {
        if (count == 0) return;
        if (PocketsphinxNative.ps_process_raw(_decoder, samples, (nuint)count, 0, wholeUtterance ? 1 : 0) < 0)
            throw new InvalidOperationException("ps_process_raw failed");
    }

    public string PartialHypothesis() => Hypothesis();

    public string EndUtterance()
    {
        if (!_inUtterance) return "";
        _inUtterance = false;
        Check(PocketsphinxNative.ps_end_utt(_decoder), "ps_end_utt");
        return Hypothesis();
    }

    /// <summary>Leaves the decoder ready for the next session (an interrupted utterance is discarded).</summary>
    public void Reset()
    {
        if (_inUtterance) EndUtterance();
    }

    public void Dispose()
    {
        if (_decoder == IntPtr.Zero) return;
        _ = PocketsphinxNative.ps_free(_decoder); // returns the remaining reference count
        _decoder = IntPtr.Zero;
    }

    private string Hypothesis()
    {
        var hyp = PocketsphinxNative.ps_get_hyp(_decoder, out _);
        return hyp == IntPtr.Zero ? "" : Marshal.PtrToStringUTF8(hyp)?.Trim() ?? "";
    }

    private static void Check(int result, string what)
    {
        if (result < 0) throw new InvalidOperationException($"pocketsphinx {what} failed ({result})");
    }
}
