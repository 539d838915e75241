using EstateVoice.Server.Features.Voice.Pipeline;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// Energy VAD over the caller's 20 ms frames: announces speech start/stop (stop after the configured silence) and
/// runs barge-in as "pause at onset, then decide" (LiveKit Agents' false-interruption handling):
/// <list type="bullet">
/// <item>caller sound over the agent that lasts <see cref="VoiceOptions.BargeInOnsetMs"/> unbroken pauses the
/// reply (<see cref="PauseReplyFrame"/>: Twilio <c>clear</c> at once); a click shorter than that does nothing;</item>
/// <item>speech that reaches <see cref="VoiceOptions.BackchannelMinMs"/> is a real interruption
/// (<see cref="InterruptionFrame"/>); so are words that are not a backchannel, which the turn aggregator judges;</item>
/// <item>sound that ends sooner — <see cref="VoiceOptions.BargeInResumeSilenceMs"/> of silence after it — was a
/// backchannel, a cough or line noise: the reply resumes (<see cref="ResumeReplyFrame"/>) once its words are known
/// to be a backchannel (<see cref="BackchannelHeardFrame"/> from the turn aggregator); without that — no words yet,
/// or only interim ones — it waits for them, at most <see cref="VoiceOptions.BargeInResumeMaxWaitMs"/> after the
/// sound ended, so a short "No." whose final comes late interrupts the held reply instead of resuming it for a
/// moment first. The wait outlasts the end of the utterance (<see cref="UserStoppedSpeakingFrame"/>) if need be.</item>
/// </list>
/// The length of the speech is measured from its onset to the end of its latest sounding frame — the short gaps
/// inside an utterance (stop consonants, soft syllables) are part of it — so the interruption fires on the first
/// frame at which the minimum is reached, not once that many loud frames have been counted. Trailing silence
/// (the stop hangover) never counts: a 450 ms "uh-huh" stays 450 ms long however long the silence after it.
/// </summary>
public sealed class VadStage(VoiceOptions options) : FrameProcessor
{
    private readonly double _thresholdSquare = options.VadRmsThreshold * options.VadRmsThreshold;
    private readonly double _sustainSquare = Math.Min(options.VadSustainRmsThreshold, options.VadRmsThreshold) *
                                             Math.Min(options.VadSustainRmsThreshold, options.VadRmsThreshold);
    private readonly long _onsetSamples = (long)options.BargeInOnsetMs * MuLaw.SampleRate / 1000;
    private readonly long _interruptSamples = (long)options.BackchannelMinMs * MuLaw.SampleRate / 1000;
    private readonly long _resumeSilenceSamples = (long)options.BargeInResumeSilenceMs * MuLaw.SampleRate / 1000;
    private readonly long _resumeMaxWaitSamples =
        (long)Math.Max(options.BargeInResumeMaxWaitMs, options.BargeInResumeSilenceMs) * MuLaw.SampleRate / 1000;
    private bool _speaking;
    // This utterance has interrupted the agent (here, or from its words upstream): nothing more to decide.
    private bool _decided;
    // The reply is held on our pause, waiting for this utterance to be judged.
    private bool _paused;
    private TimeSpan _lastVoiced;
    // Audio received since the onset, and its length up to the end of the latest sounding frame: counted in
    // samples, not from the stream's timestamps, which carry the sender's clock jitter (and are whole milliseconds).
    private int _samplesSinceOnset;
    private int _soundingSamples;
    // Where the current unbroken run of sounding frames began (samples since onset); -1 outside a run. The pause
    // needs an unbroken run so that separate clicks never add up to an onset.
    private int _runStart = -1;
    // The words of the sound that holds the reply are known to be a backchannel: it may resume without the long wait.
    private bool _wordsAreBackchannel;
    private volatile bool _botSpeaking;
    private volatile bool _interruptedByWords;
    private volatile bool _backchannelHeard;
    // Speculative replies: a pause shorter than the stop was announced (UserPausedFrame) and speech has not come back.
    private bool _pauseAnnounced;

    public bool UserSpeaking => _speaking;

    protected override async ValueTask ProcessSystemFrameAsync(Frame frame, FrameDirection direction, CancellationToken lifetime)
    {
        switch (frame)
        {
            case InputAudioFrame audio:
                await AnalyseAsync(audio).ConfigureAwait(false);
                break;
            case BotStartedSpeakingFrame:
                _botSpeaking = true;
                break;
            case BotStoppedSpeakingFrame:
                _botSpeaking = false;
                break;
            case InterruptionFrame when direction == FrameDirection.Upstream:
                // The turn aggregator heard words that are not a backchannel and interrupted: this utterance is settled.
                _interruptedByWords = true;
                break;
            case BackchannelHeardFrame:
                _backchannelHeard = true;
                break;
        }
        await PushFrameAsync(frame, direction).ConfigureAwait(false);
    }

    private async ValueTask AnalyseAsync(InputAudioFrame audio)
    {
        var energy = MuLaw.MeanSquare(audio.Mulaw.Span);
        var voiced = energy >= _thresholdSquare;
        var sounding = energy >= _sustainSquare;
        var frameLength = TimeSpan.FromMilliseconds(audio.Mulaw.Length * 1000.0 / MuLaw.SampleRate);
        var frameEnd = audio.Offset + frameLength;

        if (_interruptedByWords)
        {
            _interruptedByWords = false;
            _decided = true;
            _paused = false;
        }
        if (_backchannelHeard)
        {
            _backchannelHeard = false;
            _wordsAreBackchannel = true;
        }
        // Once the agent has stopped, no reply is held any more (an interruption or the end of the reply released it).
        if (!_botSpeaking) _paused = false;

        if (voiced && !_speaking)
        {
            // A reply still held for the previous utterance's words stays held: this one decides it now.
            _speaking = true;
            _pauseAnnounced = false;
            _decided = false;
            _wordsAreBackchannel = false;
            _samplesSinceOnset = 0;
            _soundingSamples = 0;
            _runStart = 0;
            await PushFrameAsync(new UserStartedSpeakingFrame(audio.Offset)).ConfigureAwait(false);
        }
        if (!_speaking)
        {
            // The utterance has ended but the reply is still held for its words: keep counting the silence.
            if (_paused && !_decided)
            {
                _samplesSinceOnset += audio.Mulaw.Length;
                await DecideBargeInAsync(sounding: false).ConfigureAwait(false);
            }
            return;
        }

        var frameStart = _samplesSinceOnset;
        _samplesSinceOnset += audio.Mulaw.Length;
        if (voiced) _lastVoiced = frameEnd;
        await AnnouncePauseAsync(voiced, frameEnd).ConfigureAwait(false);
        if (sounding)
        {
            // Quieter sound inside an utterance (below the onset threshold) still lengthens it for barge-in, but
            // only loud frames open a run or keep the utterance open: the stop below is decided on the onset threshold alone.
            _soundingSamples = _samplesSinceOnset;
            if (_runStart < 0 && voiced) _runStart = frameStart;
        }
        else
        {
            _runStart = -1;
        }

        if (_botSpeaking && !_decided)
            await DecideBargeInAsync(sounding).ConfigureAwait(false);

        if (!voiced && (frameEnd - _lastVoiced).TotalMilliseconds >= options.SilenceMs)
        {
            _speaking = false;
            _runStart = -1;
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

    private async ValueTask DecideBargeInAsync(bool sounding)
    {
        var onset = _runStart >= 0 && _soundingSamples - _runStart >= _onsetSamples;
        // Words judged before this sound do not cover it (the recogniser lags the audio): wait for its own.
        if (onset) _wordsAreBackchannel = false;
        if (sounding && _soundingSamples >= _interruptSamples)
        {
            _decided = true;
            _paused = false;
            await PushFrameAsync(InterruptionFrame.Instance).ConfigureAwait(false);
        }
        else if (!_paused && onset)
        {
            _paused = true;
            await PushFrameAsync(PauseReplyFrame.Instance).ConfigureAwait(false);
        }
        else if (_paused && ResumeDue(_samplesSinceOnset - _soundingSamples))
        {
            _paused = false;
            await PushFrameAsync(ResumeReplyFrame.Instance).ConfigureAwait(false);
        }
    }

    private bool ResumeDue(int silentSamples) =>
        silentSamples >= _resumeSilenceSamples && (_wordsAreBackchannel || silentSamples >= _resumeMaxWaitSamples);
}
