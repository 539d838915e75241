namespace EstateVoice.Server.Features.Voice;

/// <summary>Time since the media stream started: the offsets turns are stored with.</summary>
public sealed class CallClock(TimeProvider time)
{
    private readonly long _start = time.GetTimestamp();

    public TimeProvider Time => time;

    public TimeSpan Now => time.GetElapsedTime(_start);

    public TimeSpan Since(long timestamp) => time.GetElapsedTime(timestamp);
}
