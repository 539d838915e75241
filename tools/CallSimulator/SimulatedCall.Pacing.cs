using System.Diagnostics;

namespace EstateVoice.CallSimulator;

/// <summary>The caller's side of the audio: a 20 ms frame for the whole call, speech or silence, paced by <see cref="CallerClock"/>.</summary>
public sealed partial class SimulatedCall
{
    // The caller's audio, sent by the process's one CallerClock thread (OnClockTick): only that thread touches these.
    private readonly byte[] silenceFrame = CallerAudio.SilenceFrame();
    private readonly byte[] speechFrame = new byte[CallerAudio.FrameBytes];
    private byte[]? utterance;
    private int utteranceOffset;
    private long streamStartTicks, nextFrameTicks;
    private static readonly long FrameTicks = (long)(FrameDuration.TotalSeconds * Stopwatch.Frequency);
    private const int MaxCatchUpFrames = 5;

    private void StartCallerAudio()
    {
        streamStartTicks = nextFrameTicks = Stopwatch.GetTimestamp() + FrameTicks;
        CallerClock.Shared.Add(this);
    }

    /// <summary>
    /// Twilio sends a frame every 20 ms for the whole call, speech or not: sends the frames that have come due (a few
    /// at once when this process fell behind, as a phone network delivers late audio rather than dropping it), then
    /// completes a <see cref="WaitForAgentAsync"/> whose reply has finished playing.
    /// </summary>
    internal void OnClockTick(long now)
    {
        if (stop.IsCancellationRequested)
        {
            CallerClock.Shared.Remove(this);
            return;
        }
        if (now < nextFrameTicks) return;
        for (var sent = 0; now >= nextFrameTicks && sent < MaxCatchUpFrames; sent++)
        {
            SendNextCallerFrame();
            nextFrameTicks += FrameTicks;
        }
        if (now >= nextFrameTicks) nextFrameTicks = now + FrameTicks; // too far behind: resume at the current phase
        CompleteAgentWaitIfFinished(now);
    }

    private void SendNextCallerFrame()
    {
        ReadOnlySpan<byte> frame = silenceFrame;
        if (utterance is null && callerAudio.Reader.TryRead(out var next))
        {
            if (next.Length == 0) { CompleteUtterance(); return; }
            utterance = next; utteranceOffset = 0;
            lock (playback) speechOnsetTicks = Stopwatch.GetTimestamp();
        }
        if (utterance is not null)
        {
            var length = Math.Min(CallerAudio.FrameBytes, utterance.Length - utteranceOffset);
            silenceFrame.CopyTo(speechFrame, 0);
            utterance.AsSpan(utteranceOffset, length).CopyTo(speechFrame);
            frame = speechFrame;
            utteranceOffset += length;
            if (utteranceOffset >= utterance.Length) utterance = null;
        }
        var timestamp = (long)Stopwatch.GetElapsedTime(streamStartTicks).TotalMilliseconds;
        EnqueueMedia(frame, ++chunk, timestamp);
    }
}
