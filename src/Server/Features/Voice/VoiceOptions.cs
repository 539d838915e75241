using System.ComponentModel.DataAnnotations;

namespace EstateVoice.Server.Features.Voice;

/// <summary>Section <c>Voice</c>: turn taking, barge-in and the agency facts the agent's system prompt uses.</summary>
public sealed partial class VoiceOptions
{
    public const string Section = "Voice";

    /// <summary>Caller silence that ends a turn (the VAD side of turn detection).</summary>
    [Range(100, 3000)] public int SilenceMs { get; set; } = 400;

    /// <summary>
    /// Caller speech at least this long while the agent talks is a real interruption; shorter speech ("uh-huh", a
    /// cough, line noise) only pauses the reply, which resumes when it ends (unless its words interrupt).
    /// </summary>
    [Range(0, 3000)] public int BackchannelMinMs { get; set; } = 600;

    /// <summary>
    /// Caller sound this long while the agent talks pauses the reply at once (Twilio <c>clear</c>) while the
    /// barge-in is decided, so a real interruption is heard within ~100 ms; a shorter sound (a click) does nothing.
    /// </summary>
    [Range(0, 1000)] public int BargeInOnsetMs { get; set; } = 60;

    /// <summary>
    /// Silence after a sound shorter than <see cref="BackchannelMinMs"/> that resumes the reply it paused, words known
    /// or not (late words that are not a backchannel interrupt it then). The caller hears this much silence after an
    /// "uh-huh" (rounded up to the 20 ms frame); keep it well below <see cref="SilenceMs"/>.
    /// </summary>
    [Range(20, 3000)] public int BargeInResumeSilenceMs { get; set; } = 150;

    /// <summary>How long to wait for the speech-to-text final once the VAD says the caller stopped.</summary>
    [Range(0, 5000)] public int FinalTranscriptWaitMs { get; set; } = 800;

    /// <summary>VAD threshold as RMS of decoded 16-bit samples.</summary>
    [Range(10, 20000)] public double VadRmsThreshold { get; set; } = 600;

    /// <summary>
    /// Once speech has started, quieter frames down to this RMS (soft consonants, the tail of a syllable) still
    /// count towards its length for barge-in; onset and end of speech use <see cref="VadRmsThreshold"/>.
    /// </summary>
    [Range(10, 20000)] public double VadSustainRmsThreshold { get; set; } = 150;

    [Range(1, 600)] public int IdlePromptSeconds { get; set; } = 8;
    [Range(1, 600)] public int IdleHangupSeconds { get; set; } = 8;

    /// <summary>A tool slower than this makes the agent say a filler so the caller does not hear dead air.</summary>
    [Range(0, 10000)] public int FillerDelayMs { get; set; } = 700;

    /// <summary>Audio sent ahead of real time, absorbing scheduling jitter without delaying a <c>clear</c> much.</summary>
    [Range(0, 500)] public int PacingLeadMs { get; set; } = 60;

    public string AgencyName { get; set; } = "Estate Voice Realty";
    public string OfficeHours { get; set; } = "Monday to Saturday, 9 am to 6 pm";
    /// <summary>Defaults live in appsettings.json: the configuration binder appends to an initialised array.</summary>
    public string[] Areas { get; set; } = [];
    public string OfficePhone { get; set; } = "+15125550100";
    /// <summary>IANA zone the agency books showings in ("Saturday at ten" means ten there).</summary>
    public string TimeZone { get; set; } = "America/Chicago";
    public string Greeting { get; set; } = "";
    public string IdlePrompt { get; set; } = "Are you still there?";
    public string Filler { get; set; } = "Let me check that for you.";
    public string Apology { get; set; } = "Sorry, I'm having a technical problem. Would you like me to connect you with one of our agents?";

    public string EffectiveGreeting =>
        string.IsNullOrWhiteSpace(Greeting)
            ? $"Thanks for calling {AgencyName}. How can I help you today?"
            : Greeting;
}
