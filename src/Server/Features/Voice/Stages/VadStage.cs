using EstateVoice.Server.Features.Voice.Pipeline;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// Energy VAD over the caller's 20 ms frames: announces speech start/stop (stop after the configured silence) and
/// decides barge-in. While the agent talks, caller speech only interrupts once it has lasted
/// <see cref="VoiceOptions.BackchannelMinMs"/>, so "uh-huh", a cough or a click never cut the agent off.
/// </summary>
public sealed class VadStage(VoiceOptions options) : FrameProcessor
{
    private readonly double _thresholdSquare = options.VadRmsThreshold * options.VadRmsThreshold;
    private bool _speaking;
    private bool _interruptedThisSpeech;
    private TimeSpan _speechStart;
    private TimeSpan _lastVoiced;
    private TimeSpan _voicedDuration;
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
        var voiced = MuLaw.MeanSquare(audio.Mulaw.Span) >= _thresholdSquare;
        var frameLength = TimeSpan.FromMilliseconds(audio.Mulaw.Length * 1000.0 / MuLaw.SampleRate);
        var frameEnd = audio.Offset + frameLength;

        if (voiced)
        {
            if (!_speaking)
            {
                _speaking = true;
                _interruptedThisSpeech = false;
                _speechStart = audio.Offset;
                _voicedDuration = TimeSpan.Zero;
                await PushFrameAsync(new UserStartedSpeakingFrame(audio.Offset)).ConfigureAwait(false);
            }
            _voicedDuration += frameLength;
            _lastVoiced = frameEnd;
            if (_botSpeaking && !_interruptedThisSpeech && _voicedDuration.TotalMilliseconds >= options.BackchannelMinMs)
            {
                _interruptedThisSpeech = true;
                await PushFrameAsync(InterruptionFrame.Instance).ConfigureAwait(false);
            }
            return;
        }

        if (_speaking && (frameEnd - _lastVoiced).TotalMilliseconds >= options.SilenceMs)
        {
            _speaking = false;
            await PushFrameAsync(new UserStoppedSpeakingFrame(_lastVoiced)).ConfigureAwait(false);
        }
    }
}
