using EstateVoice.Server.Features.Voice.Pipeline;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>
/// Applies the <see cref="BargeInPolicy"/>: feeds it the VAD's voice edges, the recogniser's words and the agent's
/// speaking state, and sends its decisions on — <see cref="PauseReplyFrame"/>, <see cref="ResumeReplyFrame"/>,
/// <see cref="InterruptionFrame"/> — to the paced sender. Sits after the speech-to-text, so it sees the caller's
/// audio (its clock: each frame is a tick, and so is each <see cref="CallerAudioGapFrame"/> when the audio stops;
/// the audio ends here) and the words, and before the turn aggregator,
/// which only ever gets words that are a turn: the words of speech over the agent wait here until they interrupt,
/// and are dropped if they were only a backchannel.
/// </summary>
public sealed class BargeInStage(BargeInPolicy policy) : FrameProcessor
{
    // The policy is fed from the audio path (downstream, serialised by the stage's system lock) and from the
    // output's bot-speaking frames (upstream, any thread). Never held across an await.
    private readonly Lock _gate = new();
    private readonly List<TranscriptionFrame> _heldWords = [];
    // Caller audio seen so far, in samples.
    private long _samples;
    // Time without caller audio (CallerAudioGapFrame), in ticks: earlier gaps, and the one going on. It counts as
    // silence on the clock, so a stream that stops does not stop the clock (downstream only: under the system lock).
    private long _gapsBefore;
    private long _gapNow;

    private TimeSpan Now => TimeSpan.FromSeconds(Volatile.Read(ref _samples) / (double)MuLaw.SampleRate) + TimeSpan.FromTicks(_gapsBefore + _gapNow);

    protected override async ValueTask ProcessSystemFrameAsync(Frame frame, FrameDirection direction, CancellationToken lifetime)
    {
        BargeInDecision decision;
        switch (frame)
        {
            case InputAudioFrame audio:
                _gapsBefore += _gapNow;
                _gapNow = 0;
                Volatile.Write(ref _samples, _samples + audio.Mulaw.Length);
                lock (_gate) decision = policy.OnTick(Now);
                await ApplyAsync(decision).ConfigureAwait(false);
                return; // nothing after this stage needs the caller's audio
            case CallerAudioGapFrame gap:
                _gapNow = Math.Max(_gapNow, gap.SilentFor.Ticks);
                lock (_gate) decision = policy.OnTick(Now);
                await ApplyAsync(decision).ConfigureAwait(false);
                return; // time, for this stage only
            case VoiceStartedFrame:
                lock (_gate) decision = policy.OnVoiceStarted(Now);
                await ApplyAsync(decision).ConfigureAwait(false);
                return;
            case VoiceStoppedFrame stopped:
                lock (_gate) decision = policy.OnVoiceStopped(Now - stopped.QuietFor);
                await ApplyAsync(decision).ConfigureAwait(false);
                return;
            case UserStoppedSpeakingFrame:
                lock (_gate) policy.OnUtteranceEnded();
                break;
            case BotStartedSpeakingFrame:
                lock (_gate) policy.OnAgentSpeaking(true);
                break;
            case BotStoppedSpeakingFrame:
                lock (_gate) policy.OnAgentSpeaking(false);
                break;
            case TranscriptionFrame words:
                lock (_gate) decision = policy.OnWords(words.Text, words.IsFinal);
                await ApplyWordsAsync(decision, words).ConfigureAwait(false);
                return;
        }
        await PushFrameAsync(frame, direction).ConfigureAwait(false);
    }

    private ValueTask ApplyAsync(BargeInDecision decision) => decision switch
    {
        BargeInDecision.Pause => PushFrameAsync(PauseReplyFrame.Instance),
        BargeInDecision.Resume => PushFrameAsync(ResumeReplyFrame.Instance),
        BargeInDecision.Interrupt => InterruptAsync(),
        _ => ValueTask.CompletedTask,
    };

    private async ValueTask ApplyWordsAsync(BargeInDecision decision, TranscriptionFrame words)
    {
        switch (decision)
        {
            case BargeInDecision.HoldWords:
                _heldWords.Add(words);
                return;
            case BargeInDecision.DropWords:
                _heldWords.Clear();
                return;
            case BargeInDecision.Interrupt:
                _heldWords.Add(words);
                await InterruptAsync().ConfigureAwait(false);
                return;
            default:
                // Words the policy does not judge: earlier held ones that never settled are no turn of their own.
                _heldWords.Clear();
                await PushFrameAsync(words).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>Cancels the reply downstream, then hands the turn aggregator the words that interrupted (they are a turn now).</summary>
    private async ValueTask InterruptAsync()
    {
        await PushFrameAsync(InterruptionFrame.Instance).ConfigureAwait(false);
        var held = _heldWords.ToArray();
        _heldWords.Clear();
        foreach (var words in held)
            await PushFrameAsync(words).ConfigureAwait(false);
    }
}
