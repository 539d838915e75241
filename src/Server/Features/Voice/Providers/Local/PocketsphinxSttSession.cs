using System.Threading.Channels;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice.Providers.Local;

/// <summary>
/// One call on the offline recogniser. Audio is queued and decoded on a worker task (never on the caller's
/// thread): an energy VAD cuts utterances, each one streams into pocketsphinx, partial hypotheses come out as
/// interim results and the utterance's hypothesis as a final with <c>SpeechFinal</c> at the endpoint.
/// </summary>
internal sealed class PocketsphinxSttSession : ISpeechToTextSession
{
    private const int BytesPerSecond = 8000;
    private const int TrailingPadFrames = 15;
    private const int PreRollFrames = 10; // 200 ms before the onset: the VAD needs two frames, words start softer

    private readonly PocketsphinxDecoderPool _pool;
    private readonly PocketsphinxDecoder _decoder;
    private readonly EnergyVad _vad;
    private readonly Channel<ReadOnlyMemory<byte>> _audio = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(new() { SingleReader = true });
    private readonly Channel<SttEvent> _events = Channel.CreateUnbounded<SttEvent>(new() { SingleReader = true });
    private readonly Queue<byte[]> _preRoll = new();
    private readonly byte[] _frame = new byte[EnergyVad.FrameBytes];
    private readonly short[] _pcm = new short[EnergyVad.FrameBytes];
    private readonly short[] _upsampled = new short[EnergyVad.FrameBytes * 2];
    private readonly Upsampler? _upsampler;
    private readonly bool _wholeUtterance;
    private readonly List<short> _utterance = [];
    private readonly long _interimEveryBytes;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Task _worker;
    private int _frameFill;
    private long _position;
    private long _nextInterimAt;
    private string _lastPartial = "";

    public PocketsphinxSttSession(PocketsphinxDecoderPool pool, PocketsphinxDecoder decoder, SpeechToTextOptions options)
    {
        _pool = pool;
        _decoder = decoder;
        _vad = new EnergyVad(pool.Options.MinSpeechEnergy, TimeSpan.FromMilliseconds(options.EndpointingMs));
        _upsampler = decoder.SampleRate == 16000 ? new Upsampler() : null;
        _wholeUtterance = pool.Options.DecodeWholeUtterance;
        _interimEveryBytes = (long)(pool.Options.InterimEvery.TotalSeconds * BytesPerSecond);
        _worker = Task.Run(RunAsync);
    }

    public ValueTask SendAudioAsync(ReadOnlyMemory<byte> mulaw, CancellationToken cancellationToken)
    {
        // The caller may reuse its buffer once this returns.
        if (!mulaw.IsEmpty) _audio.Writer.TryWrite(mulaw.ToArray());
        return ValueTask.CompletedTask;
    }

    public IAsyncEnumerable<SttEvent> ReadEventsAsync(CancellationToken cancellationToken) => _events.Reader.ReadAllAsync(cancellationToken);

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        _audio.Writer.TryComplete();
        await _worker.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _audio.Writer.TryComplete();
        await _lifetime.CancelAsync();
        await _worker.ContinueWith(_ => { }, TaskScheduler.Default);
        _pool.Return(_decoder);
        _events.Writer.TryComplete();
        _lifetime.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            await foreach (var chunk in _audio.Reader.ReadAllAsync(_lifetime.Token))
            {
                var span = chunk.Span;
                while (!span.IsEmpty)
                {
                    var take = Math.Min(span.Length, _frame.Length - _frameFill);
                    span[..take].CopyTo(_frame.AsSpan(_frameFill));
                    _frameFill += take;
                    span = span[take..];
                    if (_frameFill == _frame.Length) OnFrame();
                }
            }
            if (_vad.InSpeech)
            {
                // CloseStream semantics: flush what the caller said. The model expects trailing silence (an endpoint
                // brings 300 ms of it); without it the last words are misheard, so pad with silence.
                var silence = new byte[EnergyVad.FrameBytes];
                Array.Fill(silence, (byte)0xFF);
                for (var i = 0; i < TrailingPadFrames; i++) Feed(silence);
                Finish(speechFinal: false);
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _events.Writer.TryWrite(new SttError("Offline recogniser failed: " + ex.Message, Recoverable: false));
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    private void OnFrame()
    {
        _frameFill = 0;
        _position += _frame.Length;
        switch (_vad.Process(_frame, _position))
        {
            case VadTransition.SpeechStarted:
                _decoder.StartUtterance();
                foreach (var earlier in _preRoll) Feed(earlier);
                _preRoll.Clear();
                Feed(_frame);
                _nextInterimAt = _position + _interimEveryBytes;
                _lastPartial = "";
                _events.Writer.TryWrite(new SttSpeechStarted(Time(_vad.SpeechStart)));
                return;
            case VadTransition.SpeechEnded:
                Feed(_frame);
                Finish(speechFinal: true);
                return;
        }
        if (!_vad.InSpeech)
        {
            _preRoll.Enqueue(_frame.ToArray());
            if (_preRoll.Count > PreRollFrames) _preRoll.Dequeue();
            return;
        }
        Feed(_frame);
        if (_position < _nextInterimAt || _wholeUtterance) return;
        _nextInterimAt += _interimEveryBytes;
        var partial = _decoder.PartialHypothesis();
        if (partial.Length == 0 || partial == _lastPartial) return;
        _lastPartial = partial;
        _events.Writer.TryWrite(new SttTranscript(partial, IsFinal: false, SpeechFinal: false, Time(_vad.SpeechStart), Time(_position), 0));
    }

    private void Finish(bool speechFinal)
    {
        if (_wholeUtterance)
        {
            var samples = _utterance.ToArray();
            _utterance.Clear();
            _decoder.Process(samples, samples.Length, wholeUtterance: true);
        }
        var text = _decoder.EndUtterance();
        _events.Writer.TryWrite(new SttTranscript(text, IsFinal: true, speechFinal, Time(_vad.SpeechStart), Time(_position), text.Length > 0 ? 0.5 : 0));
        _events.Writer.TryWrite(new SttUtteranceEnd(Time(_vad.LastVoiceEnd)));
    }

    private void Feed(byte[] mulawFrame)
    {
        MuLaw.Decode(mulawFrame, _pcm);
        if (_upsampler is null)
        {
            if (_wholeUtterance) _utterance.AddRange(_pcm);
            else _decoder.Process(_pcm, _pcm.Length);
            return;
        }
        var count = _upsampler.Process(_pcm, _upsampled);
        if (_wholeUtterance)
        {
            _utterance.AddRange(_upsampled.AsSpan(0, count));
            return;
        }
        // Process takes an array + count; copy only when the upsampler is still filling its history.
        _decoder.Process(count == _upsampled.Length ? _upsampled : _upsampled[..count], count);
    }

    private static TimeSpan Time(long bytes) => TimeSpan.FromSeconds(bytes / (double)BytesPerSecond);
}
