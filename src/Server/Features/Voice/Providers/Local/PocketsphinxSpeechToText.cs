using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Voice.Providers.Local;

/// <summary>
/// Offline speech-to-text with Debian's pocketsphinx through its C library, constrained to the domain vocabulary.
/// Best effort: it exists so the product runs with no keys; accuracy on 8 kHz phone audio is far below Deepgram's.
/// </summary>
public sealed class PocketsphinxSpeechToText : ISpeechToText, IDisposable
{
    private readonly PocketsphinxDecoderPool _pool;
    private readonly PocketsphinxOptions _options;

    public PocketsphinxSpeechToText(IOptions<PocketsphinxOptions> options)
    {
        _options = options.Value;
        _pool = new PocketsphinxDecoderPool(_options);
    }

    /// <summary>True when the native libraries and the en-us model are installed (apt: pocketsphinx, pocketsphinx-en-us).</summary>
    public static bool IsInstalled(PocketsphinxOptions options) => WhatIsMissing(options) is null;

    /// <summary>What of pocketsphinx is missing (library, acoustic model, dictionary, language model), or null.</summary>
    public static string? WhatIsMissing(PocketsphinxOptions options) =>
        !PocketsphinxNative.IsAvailable() ? "libpocketsphinx.so.3 / libsphinxbase.so.3 cannot be loaded"
        : !Directory.Exists(options.AcousticModel) ? $"acoustic model directory {options.AcousticModel} not found"
        : !File.Exists(options.Dictionary) ? $"dictionary {options.Dictionary} not found"
        : options.Mode == RecognitionMode.GeneralLanguageModel && !File.Exists(options.LanguageModel) ? $"language model {options.LanguageModel} not found"
        : null;

    /// <summary>The options as the service will see them (section <c>Pocketsphinx</c>, then <c>POCKETSPHINX_MODEL_DIR</c>), before the container exists.</summary>
    public static PocketsphinxOptions OptionsFrom(IConfiguration configuration)
    {
        var options = new PocketsphinxOptions();
        configuration.GetSection("Pocketsphinx").Bind(options);
        if (configuration["POCKETSPHINX_MODEL_DIR"] is { Length: > 0 } dir) options.ModelDirectory = dir;
        return options;
    }

    public async Task<ISpeechToTextSession> StartAsync(SpeechToTextOptions options, CancellationToken cancellationToken)
    {
        if (!IsInstalled(_options))
            throw new InvalidOperationException($"pocketsphinx is not installed (libpocketsphinx.so.3 and a model in {_options.ModelDirectory})");
        // Loading a model and compiling a grammar take a while: off the caller's thread.
        var decoder = await Task.Run(() =>
        {
            var d = _pool.Rent();
            try
            {
                Configure(d, options.Keywords);
                return d;
            }
            catch
            {
                d.Dispose();
                throw;
            }
        }, cancellationToken);
        return new PocketsphinxSttSession(_pool, decoder, options);
    }

    public void Dispose() => _pool.Dispose();

    private void Configure(PocketsphinxDecoder decoder, IReadOnlyList<string>? keywords)
    {
        var known = PronouncingDictionary.Load(_options.Dictionary);
        var key = string.Join('|', (keywords ?? []).Order(StringComparer.Ordinal));
        switch (_options.Mode)
        {
            case RecognitionMode.GeneralLanguageModel:
                decoder.UseGeneralLanguageModel();
                break;
            case RecognitionMode.DomainWordLoop:
                decoder.UseWordLoop(DomainVocabulary.Build(keywords, known.Contains), key);
                break;
            default:
                decoder.UseLanguageModel(() => ArpaLanguageModel.Build(
                    DomainCorpus.Sentences(keywords, known.Contains), DomainVocabulary.Build(keywords, known.Contains)), key);
                break;
        }
    }
}
