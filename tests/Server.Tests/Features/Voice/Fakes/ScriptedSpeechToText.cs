using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using EstateVoice.Server.Features.Voice.Providers;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Tests.Features.Voice.Fakes;

/// <summary>
/// Hears speech like a real recogniser (energy over the audio it is sent) and, at each utterance's end (300 ms of
/// silence), returns the next scripted line as a final transcript — or, with <see cref="Recognise"/>, a line chosen per utterance.
/// </summary>
public sealed class ScriptedSpeechToText(params string[] lines) : ISpeechToText
{
    private readonly ConcurrentQueue<string> _lines = new(lines);

    public int SessionsStarted;
    public bool FailOnStart { get; set; }
    /// <summary>Delay between the end of speech and the final (the benchmark's fixed STT latency).</summary>
    public TimeSpan FinalDelay { get; set; }
    public bool SpeechFinal { get; set; } = true;

    /// <summary>When set, starting a session waits until the test completes it (a slow start, without a clock).</summary>
    public TaskCompletionSource? StartGate { get; init; }

    public void Enqueue(string line) => _lines.Enqueue(line);

    public async Task<ISpeechToTextSession> StartAsync(SpeechToTextOptions options, CancellationToken cancellationToken)
    {
        if (StartGate is not null) await StartGate.Task.WaitAsync(cancellationToken);
        if (FailOnStart) throw new InvalidOperationException("speech-to-text unavailable");
        Interlocked.Increment(ref SessionsStarted);
        return new Session(this);
    }

    private sealed class Session(ScriptedSpeechToText owner) : ISpeechToTextSession
    {
        private readonly Channel<SttEvent> _events = Channel.CreateUnbounded<SttEvent>();
        private long _bytes;
        private long _speechStart = -1;
        private long _lastVoiced;

        public ValueTask SendAudioAsync(ReadOnlyMemory<byte> mulaw, CancellationToken cancellationToken)
        {
            var voiced = MuLaw.MeanSquare(mulaw.Span) > 600 * 600;
            _bytes += mulaw.Length;
            if (voiced)
            {
                if (_speechStart < 0)
                {
                    _speechStart = _bytes - mulaw.Length;
                    _events.Writer.TryWrite(new SttSpeechStarted(Ms(_speechStart)));
                }
                _lastVoiced = _bytes;
            }
            else if (_speechStart >= 0 && _bytes - _lastVoiced >= 300 * 8)
            {
                var start = Ms(_speechStart);
                var end = Ms(_lastVoiced);
                _speechStart = -1;
                if (owner._lines.TryDequeue(out var line))
                {
                    if (owner.FinalDelay > TimeSpan.Zero)
                        _ = Task.Delay(owner.FinalDelay, CancellationToken.None).ContinueWith(_ => Emit(line, start, end), TaskScheduler.Default);
                    else Emit(line, start, end);
                }
            }
            return ValueTask.CompletedTask;
        }

        private void Emit(string line, TimeSpan start, TimeSpan end) =>
            _events.Writer.TryWrite(new SttTranscript(line, true, owner.SpeechFinal, start, end, 0.99));

        private static TimeSpan Ms(long bytes) => TimeSpan.FromMilliseconds(bytes / 8.0);

        public async IAsyncEnumerable<SttEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var e in _events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                yield return e;
        }

        public Task CompleteAsync(CancellationToken cancellationToken)
        {
            _events.Writer.TryComplete();
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            _events.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }
}
