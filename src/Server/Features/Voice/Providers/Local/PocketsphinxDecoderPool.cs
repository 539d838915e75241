using System.Collections.Concurrent;

namespace EstateVoice.Server.Features.Voice.Providers.Local;

/// <summary>Loaded decoders kept for reuse: loading the acoustic model per call would add ~0.2 s before the caller can be heard.</summary>
internal sealed class PocketsphinxDecoderPool(PocketsphinxOptions options) : IDisposable
{
    private readonly ConcurrentBag<PocketsphinxDecoder> _idle = [];

    public PocketsphinxOptions Options => options;

    public PocketsphinxDecoder Rent() => _idle.TryTake(out var decoder) ? decoder : PocketsphinxDecoder.Create(options);

    public void Return(PocketsphinxDecoder decoder)
    {
        try
        {
            decoder.Reset();
        }
        catch (InvalidOperationException)
        {
            decoder.Dispose();
            return;
        }
        if (_idle.Count < options.MaxIdleDecoders) _idle.Add(decoder);
        else decoder.Dispose();
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var decoder)) decoder.Dispose();
    }
}
