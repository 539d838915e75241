using System.Collections.Concurrent;
using System.Diagnostics;
using EstateVoice.CallSimulator;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Features.Voice.Fakes;

/// <summary>
/// The caller's side of the line as Twilio sends it: a 20 ms frame every 20 ms, silence unless the caller is
/// speaking (a recogniser's endpointing runs on that audio), and for each utterance the moment its last voiced frame
/// went out — the caller's end of speech, from which dead air is measured.
/// </summary>
public sealed class PhoneLine : IAsyncDisposable
{
    private const int FrameBytes = 160;
    private static readonly byte[] SilenceFrame = AudioFixtures.Silence(20);
    private readonly SimulatedCall _caller;
    private readonly ConcurrentQueue<Utterance> _queue = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    public PhoneLine(SimulatedCall caller)
    {
        _caller = caller;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Queues an utterance on the line.</summary>
    /// <returns>When (on <see cref="SimulatedCall.NowMs"/>) its last voiced frame was sent.</returns>
    public Task<double> SayAsync(byte[] utterance)
    {
        var said = new Utterance(utterance, LastVoicedFrame(utterance));
        _queue.Enqueue(said);
        return said.SpeechEnded.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private async Task PumpAsync()
    {
        var clock = Stopwatch.StartNew();
        long frames = 0;
        Utterance? current = null;
        var index = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                if (current is null && _queue.TryDequeue(out var next)) (current, index) = (next, 0);
                var frame = SilenceFrame;
                if (current is not null)
                {
                    var offset = index * FrameBytes;
                    frame = current.Audio[offset..Math.Min(offset + FrameBytes, current.Audio.Length)];
                }
                await _caller.SendAudioAsync(frame, speed: 0);
                if (current is not null)
                {
                    if (index >= current.LastVoiced) current.SpeechEnded.TrySetResult(_caller.NowMs);
                    if (++index * FrameBytes >= current.Audio.Length) current = null;
                }
                frames++;
                var wait = frames * 20 - clock.Elapsed.TotalMilliseconds;
                if (wait > 1) await Task.Delay(TimeSpan.FromMilliseconds(wait), _stop.Token);
            }
        }
        catch (Exception ex)
        {
            // The call ended (the server closed the socket) or the test is over.
            current?.SpeechEnded.TrySetException(ex);
            while (_queue.TryDequeue(out var left)) left.SpeechEnded.TrySetException(ex);
        }
    }

    /// <summary>Index of the last 20 ms frame loud enough to be speech (the fixtures end with a little quiet).</summary>
    private static int LastVoicedFrame(byte[] audio)
    {
        for (var frame = (audio.Length - 1) / FrameBytes; frame >= 0; frame--)
        {
            var span = audio.AsSpan(frame * FrameBytes, Math.Min(FrameBytes, audio.Length - frame * FrameBytes));
            double sum = 0;
            foreach (var b in span) sum += Math.Abs((int)Server.Tests.Fakes.MuLaw.Decode(b));
            if (sum / span.Length > 400) return frame;
        }
        return 0;
    }

    /// <summary>Stops the line (idempotent). Do it before other messages: a frame queued after them would carry a later sequence number.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync();
        // A send the server never reads must not hold the test up.
        await _pump.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private sealed record Utterance(byte[] Audio, int LastVoiced)
    {
        public TaskCompletionSource<double> SpeechEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
