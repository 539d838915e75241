namespace EstateVoice.Server.Features.Voice;

/// <summary>
/// The call's one clock: time since the media stream started, on the call's <see cref="TimeProvider"/>. Every turn
/// offset stored for a call — the agent's and the caller's — is on it. The caller's audio carries its own timeline
/// (Twilio's media timestamps, or its frame count), which the VAD and speech-to-text work in; offsets on that
/// timeline are mapped onto this clock with the shift seen at the latest audio frame (<see cref="FromAudio"/>).
/// </summary>
/// <param name="origin">Where this stream starts on the call's clock: zero, or for a stream resumed after a failed transfer
/// the time since the call's first stream started (its turns and its recording carry on from there).</param>
public sealed class CallClock(TimeProvider time, TimeSpan origin = default)
{
    private readonly long _start = time.GetTimestamp();
    // This clock minus the audio timeline at the latest caller frame (ticks); 0 until audio arrives.
    private long _audioShift;

    public TimeProvider Time => time;

    public TimeSpan Now => origin + time.GetElapsedTime(_start);

    /// <summary>Where this stream started on the call's clock (non-zero for a resumed stream).</summary>
    public TimeSpan Origin => origin;

    public TimeSpan Since(long timestamp) => time.GetElapsedTime(timestamp);

    /// <summary>A caller frame at <paramref name="audioOffset"/> on the audio timeline arrived just now.</summary>
    public void AudioReceived(TimeSpan audioOffset) => Interlocked.Exchange(ref _audioShift, (Now - audioOffset).Ticks);

    /// <summary>An offset on the caller's audio timeline, on this clock.</summary>
    public TimeSpan FromAudio(TimeSpan audioOffset)
    {
        var mapped = audioOffset + TimeSpan.FromTicks(Interlocked.Read(ref _audioShift));
        return mapped < TimeSpan.Zero ? TimeSpan.Zero : mapped;
    }

    /// <summary>Now, on the caller's audio timeline (for caller input that has no audio, such as typed text).</summary>
    public TimeSpan NowOnAudio => Now - TimeSpan.FromTicks(Interlocked.Read(ref _audioShift));
}
