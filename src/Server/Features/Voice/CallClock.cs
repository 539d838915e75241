namespace EstateVoice.Server.Features.Voice;

/// <summary>Time since the media stream started: the offsets turns are stored with.</summary>
public sealed class CallClock(TimeProvider time)
{
    private long _start = time.GetTimestamp();

    public TimeProvider Time => time;

    public void Restart() => _start = time.GetTimestamp();

    public TimeSpan Now => time.GetElapsedTime(_start);

    public TimeSpan Since(long timestamp) => time.GetElapsedTime(timestamp);
}
