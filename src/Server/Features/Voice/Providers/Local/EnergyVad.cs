using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice.Providers.Local;

/// <summary>
/// Utterance segmentation on 20 ms mu-law frames: speech starts after two voiced frames in a row and ends after
/// <c>endpointing</c> of unvoiced audio. The threshold follows the line's noise floor (3x), never below a minimum.
/// Works on audio time (bytes), so it is deterministic and independent of when frames arrive.
/// </summary>
internal sealed class EnergyVad(double minSpeechEnergy, TimeSpan endpointing)
{
    public const int FrameBytes = 160;
    private const int BytesPerSecond = 8000;
    private const int OnsetFrames = 2;

    private readonly long _endpointBytes = (long)(endpointing.TotalSeconds * BytesPerSecond);
    private double _noiseFloor = minSpeechEnergy / 3;
    private int _voicedRun;

    public bool InSpeech { get; private set; }

    /// <summary>Session offset (bytes) where the current or last utterance's speech began.</summary>
    public long SpeechStart { get; private set; }

    /// <summary>Session offset (bytes) just after the last voiced frame.</summary>
    public long LastVoiceEnd { get; private set; }

    public double Threshold => Math.Max(minSpeechEnergy, _noiseFloor * 3);

    /// <summary>Classifies the frame ending at <paramref name="frameEnd"/> and reports a speech onset or an endpoint.</summary>
    public VadTransition Process(ReadOnlySpan<byte> frame, long frameEnd)
    {
        var energy = MuLaw.MeanAbsolute(frame);
        var voiced = energy > Threshold;
        if (!voiced)
        {
            // Track the floor slowly on quiet frames only, so speech never raises it.
            _noiseFloor = _noiseFloor * 0.95 + energy * 0.05;
            _voicedRun = 0;
            if (InSpeech && frameEnd - LastVoiceEnd >= _endpointBytes)
            {
                InSpeech = false;
                return VadTransition.SpeechEnded;
            }
            return VadTransition.None;
        }
        _voicedRun++;
        LastVoiceEnd = frameEnd;
        if (InSpeech || _voicedRun < OnsetFrames) return VadTransition.None;
        InSpeech = true;
        SpeechStart = frameEnd - OnsetFrames * FrameBytes;
        return VadTransition.SpeechStarted;
    }
}

internal enum VadTransition { None, SpeechStarted, SpeechEnded }
