using System.Text;

namespace EstateVoice.Server.Features.Voice.Stages;

/// <summary>What the barge-in policy asks for after an event. Words: <see cref="None"/> means pass them on.</summary>
public enum BargeInDecision
{
    None,
    /// <summary>Stop the reply where the caller is (Twilio <c>clear</c>) and hold it: not cancelled yet.</summary>
    Pause,
    /// <summary>Play the held reply on from where the caller stopped hearing it.</summary>
    Resume,
    /// <summary>A real interruption: cancel the reply; the caller's held words (if any) are a turn now.</summary>
    Interrupt,
    /// <summary>Words of speech over the agent that may still turn out to be a backchannel: hold them back.</summary>
    HoldWords,
    /// <summary>The held words (and these) are only a backchannel: they are not a turn, drop them.</summary>
    DropWords,
}

/// <summary>
/// Barge-in, decided in one place: "pause at onset, resume optimistically, interrupt on length or words"
/// (LiveKit Agents' false-interruption handling, with a short resume). Pure: no I/O, no timers; every input
/// carries the time it happened on the caller's audio clock (the media stream itself: 8,000 samples a second,
/// silence included), so the decisions are the same however the frames arrive and tests feed times directly.
/// <list type="bullet">
/// <item>Caller sound over the agent (the VAD's voice start: an unbroken <see cref="Timing.Onset"/> of it, so a
/// click does nothing) pauses the reply at once.</item>
/// <item>The utterance reaching <see cref="Timing.InterruptAfter"/> from its onset while sounding (gaps between
/// words included, trailing silence not) is a real interruption.</item>
/// <item>Sound that ended <see cref="Timing.ResumeAfter"/> ago resumes the reply, whether or not its words are known
/// (a backchannel, a cough, line noise); the caller hears that much silence after an "uh-huh".</item>
/// <item>Words of the speech over the agent, interim or final, that are not a backchannel (<see cref="Backchannel"/>)
/// interrupt — before the resume or after it (a late final "No."). Until then they are held back from the turn
/// aggregator; once a final shows they are only a backchannel they are dropped. The words stay judged until the
/// caller's next utterance, since a recogniser's final may come well after the resume.</item>
/// </list>
/// Not thread-safe: the stage that applies it serialises the calls.
/// </summary>
public sealed class BargeInPolicy(BargeInPolicy.Timing timing)
{
    /// <param name="Onset">How long the VAD needs sound before it reports a voice start (its confirmation).</param>
    /// <param name="InterruptAfter">Speech this long from its onset is a real interruption.</param>
    /// <param name="ResumeAfter">Silence after a shorter sound that resumes the held reply.</param>
    public sealed record Timing(TimeSpan Onset, TimeSpan InterruptAfter, TimeSpan ResumeAfter)
    {
        public static Timing From(VoiceOptions options) => new(
            TimeSpan.FromMilliseconds(options.BargeInOnsetMs),
            TimeSpan.FromMilliseconds(options.BackchannelMinMs),
            TimeSpan.FromMilliseconds(options.BargeInResumeSilenceMs));
    }

    private enum Episode
    {
        /// <summary>The current utterance is not over the agent: its words are a turn like any other.</summary>
        None,
        /// <summary>Speech over the agent, not decided: its sound and words are judged.</summary>
        Judging,
        /// <summary>It interrupted: nothing more to decide until the next utterance.</summary>
        Interrupted,
    }

    private readonly StringBuilder _finalWords = new();
    private string _interimWords = "";
    private Episode _episode;
    private bool _agentSpeaking;
    private bool _inUtterance;
    private bool _sounding;
    private bool _paused;
    private TimeSpan _utteranceStart;
    private TimeSpan _soundEnd;

    /// <summary>The reply is held by a pause of ours.</summary>
    public bool Paused => _paused;

    /// <summary>The agent started or stopped talking (the output's bot-speaking frames). Decides nothing by itself: the next tick does.</summary>
    public void OnAgentSpeaking(bool speaking)
    {
        _agentSpeaking = speaking;
        // The output no longer holds anything once its turn ended (an interruption, the end of the reply).
        if (!speaking) _paused = false;
        // The agent started over a caller who is mid-utterance: that is speech over the agent too.
        else if (_inUtterance && _episode == Episode.None) StartJudging();
    }

    /// <summary>The VAD confirmed caller sound; <paramref name="now"/> is the end of the audio that confirmed it.</summary>
    public BargeInDecision OnVoiceStarted(TimeSpan now)
    {
        _sounding = true;
        if (!_inUtterance)
        {
            _inUtterance = true;
            _utteranceStart = now - timing.Onset;
            _episode = Episode.None;
            if (_agentSpeaking) StartJudging();
        }
        return OnTick(now);
    }

    /// <summary>The caller's sound ended at <paramref name="soundEnd"/> (the end of its last sounding audio).</summary>
    public BargeInDecision OnVoiceStopped(TimeSpan soundEnd)
    {
        _sounding = false;
        _soundEnd = soundEnd;
        return OnTick(soundEnd);
    }

    /// <summary>The VAD's end of the utterance (its turn-taking silence): the next sound is a new utterance.</summary>
    public void OnUtteranceEnded() => _inUtterance = false;

    /// <summary>Time passed (each frame of caller audio, or a gap without it): a due resume or interruption happens now.</summary>
    public BargeInDecision OnTick(TimeSpan now)
    {
        if (_episode != Episode.Judging || !_agentSpeaking) return BargeInDecision.None;
        if (_sounding)
        {
            if (now - _utteranceStart >= timing.InterruptAfter) return Interrupt();
            if (_paused) return BargeInDecision.None;
            _paused = true;
            return BargeInDecision.Pause;
        }
        if (!_paused || now - _soundEnd < timing.ResumeAfter) return BargeInDecision.None;
        _paused = false;
        return BargeInDecision.Resume;
    }

    /// <summary>Interim or final words from the speech-to-text.</summary>
    public BargeInDecision OnWords(string text, bool isFinal)
    {
        if (_episode != Episode.Judging) return BargeInDecision.None;
        if (isFinal)
        {
            if (text.Length > 0)
            {
                if (_finalWords.Length > 0) _finalWords.Append(' ');
                _finalWords.Append(text.Trim());
            }
            _interimWords = "";
        }
        else
        {
            _interimWords = text;
        }
        var words = _interimWords.Length == 0 ? _finalWords.ToString() : _finalWords + " " + _interimWords;
        if (words.Trim().Length == 0) return BargeInDecision.HoldWords;
        // Even with the agent already quiet: the interruption is what makes these words the caller's turn.
        if (!Backchannel.IsBackchannel(words)) return Interrupt();
        // Every word so far is final: a backchannel. An interim could still grow ("okay" → "okay wait").
        return isFinal && _interimWords.Length == 0 ? BargeInDecision.DropWords : BargeInDecision.HoldWords;
    }

    private void StartJudging()
    {
        _episode = Episode.Judging;
        _finalWords.Clear();
        _interimWords = "";
    }

    private BargeInDecision Interrupt()
    {
        _episode = Episode.Interrupted;
        _paused = false;
        return BargeInDecision.Interrupt;
    }
}
