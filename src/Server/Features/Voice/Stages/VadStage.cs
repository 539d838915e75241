using EstateVoice.Server.Features.Voice.Pipeline;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// Energy VAD over the caller's 20 ms frames. It knows nothing of the agent; it reports two things, after the
/// audio frame they were heard in:
/// <list type="bullet">
/// <item>utterances, for turn taking: <see cref="UserStartedSpeakingFrame"/> on the first loud frame,
/// <see cref="UserStoppedSpeakingFrame"/> after <see cref="VoiceOptions.SilenceMs"/> without one;</item>
/// <item>voice edges, for barge-in (<see cref="BargeInPolicy"/>): <see cref="VoiceStartedFrame"/> once an unbroken
/// run of sound opened by a loud frame reaches <see cref="VoiceOptions.BargeInOnsetMs"/> (separate clicks never
/// add up), <see cref="VoiceStoppedFrame"/> once it has been below <see cref="VoiceOptions.VadSustainRmsThreshold"/>
/// for <see cref="VoiceGapMs"/> (a stop consonant, the breath between words do not end it). Quieter sound (soft
/// consonants, the tail of a syllable) keeps a voice going but never opens one.</item>
/// </list>
/// Lengths are counted in samples, not from the stream's timestamps, which carry the sender's clock jitter.
/// </summary>
public sealed class VadStage(VoiceOptions options) : FrameProcessor
{
    private readonly double _thresholdSquare = options.VadRmsThreshold * options.VadRmsThreshold;
    private readonly double _sustainSquare = Math.Min(options.VadSustainRmsThreshold, options.VadRmsThreshold) *
                                             Math.Min(options.VadSustainRmsThreshold, options.VadRmsThreshold);
    private readonly long _onsetSamples = (long)options.BargeInOnsetMs * MuLaw.SampleRate / 1000;
    private bool _speaking;
    private TimeSpan _lastVoiced;
    // Samples in the current unbroken run of sounding frames that may become a voice; -1 outside a run.
    private long _run = -1;
    private bool _voice;
    // Quiet samples since the voice's last sounding frame.
    private long _quiet;
    // Speculative replies: a pause shorter than the stop was announced (UserPausedFrame) and speech has not come back.
    private bool _pauseAnnounced;

    /// <summary>Quiet inside a voice shorter than this does not end it.</summary>
    public const int VoiceGapMs = 60;
    private const long VoiceGapSamples = VoiceGapMs * MuLaw.SampleRate / 1000;

    protected override async ValueTask ProcessSystemFrameAsync(Frame frame, FrameDirection direction, CancellationToken lifetime)
    {
        // Before the gap goes on: the voice ended at the last audio, on a clock the gap has not moved yet.
        if (frame is CallerAudioGapFrame) await EndVoiceInGapAsync().ConfigureAwait(false);
        await PushFrameAsync(frame, direction).ConfigureAwait(false);
        if (frame is InputAudioFrame audio) await AnalyseAsync(audio).ConfigureAwait(false);
    }

    /// <summary>No audio is coming in (<see cref="CallerAudioGapFrame"/>): nothing is heard, so a voice ends and a run of sound breaks.</summary>
    private async ValueTask EndVoiceInGapAsync()
    {
        _run = -1;
        if (!_voice) return;
        _voice = false;
        var quiet = _quiet;
        _quiet = 0;
        await PushFrameAsync(new VoiceStoppedFrame(TimeSpan.FromSeconds(quiet / (double)MuLaw.SampleRate))).ConfigureAwait(false);
    }

    private async ValueTask AnalyseAsync(InputAudioFrame audio)
    {
        var energy = MuLaw.MeanSquare(audio.Mulaw.Span);
        var voiced = energy >= _thresholdSquare;
        var sounding = energy >= _sustainSquare;
        var frameLength = TimeSpan.FromMilliseconds(audio.Mulaw.Length * 1000.0 / MuLaw.SampleRate);
        var frameEnd = audio.Offset + frameLength;

        if (voiced && !_speaking)
        {
            _speaking = true;
            _pauseAnnounced = false;
            await PushFrameAsync(new UserStartedSpeakingFrame(audio.Offset)).ConfigureAwait(false);
        }
        if (voiced) _lastVoiced = frameEnd;
        if (_speaking) await AnnouncePauseAsync(voiced, frameEnd).ConfigureAwait(false);

        if (sounding && _voice)
        {
            _quiet = 0;
        }
        else if (sounding && (_run >= 0 || voiced))
        {
            _run = Math.Max(_run, 0) + audio.Mulaw.Length;
            if (_run >= _onsetSamples)
            {
                _voice = true;
                _quiet = 0;
                await PushFrameAsync(VoiceStartedFrame.Instance).ConfigureAwait(false);
            }
        }
        else if (!sounding)
        {
            _run = -1;
            if (_voice && (_quiet += audio.Mulaw.Length) >= VoiceGapSamples)
            {
                _voice = false;
                await PushFrameAsync(new VoiceStoppedFrame(TimeSpan.FromSeconds(_quiet / (double)MuLaw.SampleRate))).ConfigureAwait(false);
            }
        }

        if (_speaking && !voiced && (frameEnd - _lastVoiced).TotalMilliseconds >= options.SilenceMs)
        {
            _speaking = false;
            await PushFrameAsync(new UserStoppedSpeakingFrame(_lastVoiced)).ConfigureAwait(false);
        }
    }

    /// <summary>A pause inside the utterance, and speech coming back after it (speculative replies start and stop on them).</summary>
    private async ValueTask AnnouncePauseAsync(bool voiced, TimeSpan frameEnd)
    {
        if (!options.SpeculativeReplies) return;
        if (voiced && _pauseAnnounced)
        {
            _pauseAnnounced = false;
            await PushFrameAsync(UserResumedSpeakingFrame.Instance).ConfigureAwait(false);
        }
        else if (!voiced && !_pauseAnnounced && (frameEnd - _lastVoiced).TotalMilliseconds >= options.SpeculationPauseMs)
        {
            _pauseAnnounced = true;
            await PushFrameAsync(new UserPausedFrame(_lastVoiced)).ConfigureAwait(false);
        }
    }
}
