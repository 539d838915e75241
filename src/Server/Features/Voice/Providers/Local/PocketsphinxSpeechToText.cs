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
    public static bool IsInstalled(PocketsphinxOptions options) =>
        Directory.Exists(options.AcousticModel) && File.Exists(options.Dictionary) && PocketsphinxNative.IsAvailable();

    /// <summary>As <see cref="IsInstalled(PocketsphinxOptions)"/>, with the model directory from <c>POCKETSPHINX_MODEL_DIR</c> if set.</summary>
    public static bool IsInstalled(IConfiguration configuration) =>
        IsInstalled(configuration["POCKETSPHINX_MODEL_DIR"] is { Length: > 0 } dir ? new PocketsphinxOptions { ModelDirectory = dir } : new PocketsphinxOptions());

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
