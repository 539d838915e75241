using EstateVoice.Server.Features.Voice.Pipeline;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// Energy VAD over the caller's 20 ms frames: announces speech start/stop (stop after the configured silence) and
/// decides barge-in. While the agent talks, caller speech only interrupts once it has lasted
/// <see cref="VoiceOptions.BackchannelMinMs"/>, so "uh-huh", a cough or a click never cut the agent off.
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
    private bool _speaking;
    private bool _interruptedThisSpeech;
    private TimeSpan _lastVoiced;
    // Audio received since the onset, and its length up to the end of the latest sounding frame: counted in
    // samples, not from the stream's timestamps, which carry the sender's clock jitter (and are whole milliseconds).
    private int _samplesSinceOnset;
    private int _soundingSamples;
    private volatile bool _botSpeaking;

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
        }
        await PushFrameAsync(frame, direction).ConfigureAwait(false);
    }

    private async ValueTask AnalyseAsync(InputAudioFrame audio)
    {
        var energy = MuLaw.MeanSquare(audio.Mulaw.Span);
        var voiced = energy >= _thresholdSquare;
        var frameLength = TimeSpan.FromMilliseconds(audio.Mulaw.Length * 1000.0 / MuLaw.SampleRate);
        var frameEnd = audio.Offset + frameLength;

        if (voiced)
        {
            if (!_speaking)
            {
                _speaking = true;
                _interruptedThisSpeech = false;
                _samplesSinceOnset = 0;
                await PushFrameAsync(new UserStartedSpeakingFrame(audio.Offset)).ConfigureAwait(false);
            }
            _lastVoiced = frameEnd;
        }
        if (_speaking) _samplesSinceOnset += audio.Mulaw.Length;
        if (_speaking && energy >= _sustainSquare)
        {
            // Quieter sound inside an utterance (below the onset threshold) still lengthens it for barge-in, but
            // only loud frames keep the utterance open: the stop below is decided on the onset threshold alone.
            _soundingSamples = _samplesSinceOnset;
            if (_botSpeaking && !_interruptedThisSpeech && _soundingSamples * 1000L >= (long)options.BackchannelMinMs * MuLaw.SampleRate)
            {
                _interruptedThisSpeech = true;
                await PushFrameAsync(InterruptionFrame.Instance).ConfigureAwait(false);
            }
            if (voiced) return;
        }

        if (_speaking && (frameEnd - _lastVoiced).TotalMilliseconds >= options.SilenceMs)
        {
            _speaking = false;
            await PushFrameAsync(new UserStoppedSpeakingFrame(_lastVoiced)).ConfigureAwait(false);
        }
    }
}
