namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// Releases 20 ms frames at real time, keeping a small lead of audio queued at Twilio so scheduling jitter never
/// starves playback while a <c>clear</c> still discards little. One periodic timer per speaking burst (no timer
/// or task per frame). Also estimates how much of the sent audio the caller has heard.
/// </summary>
public sealed class Pacer(TimeProvider time, int leadMs, int frameMs = 20) : IDisposable
{
    private PeriodicTimer? _timer;
    private long _burstStart;
    private int _burstFrames;
    private double _playedBeforeBurstMs;

    public async ValueTask WaitForSlotAsync(CancellationToken cancellationToken)
    {
        var timer = _timer;
        if (timer is null)
        {
            timer = _timer = new PeriodicTimer(TimeSpan.FromMilliseconds(frameMs), time);
            StartBurst();
        }
        else if (time.GetElapsedTime(_burstStart).TotalMilliseconds > (_burstFrames + 1) * frameMs)
        {
            // Playback ran dry (synthesis was slower than real time): what was sent has played; start a new schedule.
            _playedBeforeBurstMs += _burstFrames * frameMs;
            StartBurst();
        }

        while (_burstFrames * frameMs - time.GetElapsedTime(_burstStart).TotalMilliseconds >= leadMs)
        {
            if (!await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                throw new OperationCanceledException("pacer reset");
        }
        _burstFrames++;
    }

    private void StartBurst()
    {
        _burstStart = time.GetTimestamp();
        _burstFrames = 0;
    }

    /// <summary>Audio the caller has heard since the pacer last started (sent audio, less what is still queued).</summary>
    public double PlayedMs =>
        _timer is null ? _playedBeforeBurstMs
            : _playedBeforeBurstMs + Math.Min(_burstFrames * frameMs, time.GetElapsedTime(_burstStart).TotalMilliseconds);

    /// <summary>Waits until everything sent should have been played.</summary>
    public Task WaitPlayedOutAsync(CancellationToken cancellationToken)
    {
        if (_timer is null) return Task.CompletedTask;
        var remaining = _burstFrames * frameMs - time.GetElapsedTime(_burstStart).TotalMilliseconds;
        return remaining <= 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromMilliseconds(remaining), time, cancellationToken);
    }

    /// <summary>Ends the burst (reply finished or interrupted) and releases the timer.</summary>
    public void Reset()
    {
        var timer = _timer;
        _timer = null;
        _playedBeforeBurstMs = 0;
        _burstFrames = 0;
        timer?.Dispose();
    }

    public void Dispose() => Reset();
}
