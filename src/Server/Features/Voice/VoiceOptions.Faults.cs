using System.ComponentModel.DataAnnotations;

namespace EstateVoice.Server.Features.Voice;

/// <summary>
/// Provider faults mid-call (a dropped socket, a 500, a stall): how long the voice loop waits before it retries or
/// speaks, and what it says. The aim is that a caller never hears more than ~3 s of dead air after they stop talking,
/// so every wait here is a fraction of that; tests shorten them further.
/// </summary>
public sealed partial class VoiceOptions
{
    /// <summary>The agent's first token must come this soon after the request, or the attempt is abandoned.</summary>
    [Range(100, 30000)] public int LlmFirstTokenTimeoutMs { get; set; } = 2000;

    /// <summary>Once streaming, a gap this long between updates counts as a stalled stream.</summary>
    [Range(100, 30000)] public int LlmStallTimeoutMs { get; set; } = 2000;

    /// <summary>Attempts per agent reply while nothing of it has been spoken (a retry repeats nothing).</summary>
    [Range(1, 5)] public int LlmAttempts { get; set; } = 2;

    /// <summary>A retry that starts this long after the caller's turn was handed over is announced with <see cref="RetryFiller"/>.</summary>
    [Range(0, 10000)] public int LlmRetryFillerAfterMs { get; set; } = 1000;

    /// <summary>First synthesised audio of a sentence must come this soon, or the sentence is requested again.</summary>
    [Range(100, 30000)] public int TtsFirstByteTimeoutMs { get; set; } = 1000;

    /// <summary>A gap this long between audio chunks of one sentence counts as a stalled synthesis.</summary>
    [Range(100, 30000)] public int TtsStallTimeoutMs { get; set; } = 1000;

    /// <summary>Attempts per sentence on the main speech provider before the fallback voice (or skipping it).</summary>
    [Range(1, 5)] public int TtsAttempts { get; set; } = 2;

    /// <summary>After the main speech provider failed, sentences go straight to the fallback voice for this long.</summary>
    [Range(0, 600000)] public int TtsFallbackHoldMs { get; set; } = 30000;

    /// <summary>The speech-to-text connection has been down this long: tell the caller (and again each time they stop talking).</summary>
    [Range(100, 30000)] public int SttOutageNoticeMs { get; set; } = 2000;

    /// <summary>The speech-to-text connection is still down after this long: end the call politely, as failed.</summary>
    [Range(1000, 600000)] public int SttOutageGiveUpMs { get; set; } = 20000;

    /// <summary>Said before an agent retry the caller would otherwise wait for in silence.</summary>
    public string RetryFiller { get; set; } = "Sorry, give me a moment.";

    /// <summary>Said when the agent could not answer a turn at all (after its retry); the caller can simply repeat.</summary>
    public string NotUnderstoodApology { get; set; } = "I'm sorry, I didn't catch that. Could you say it again?";

    /// <summary>Said after the words that did arrive when the agent's reply was cut off half-way.</summary>
    public string CutOffApology { get; set; } = "Sorry, I lost my train of thought. Could you ask me that again?";

    /// <summary>Said while the speech-to-text connection is down.</summary>
    public string TroubleHearingNotice { get; set; } = "Sorry, I'm having trouble hearing you. Please bear with me.";

    /// <summary>Said before hanging up when the speech-to-text connection never came back.</summary>
    public string CannotHearGoodbye { get; set; } = "I'm sorry, I still can't hear you. Please call us back in a few minutes. Goodbye.";

    /// <summary>The fixed phrases of this file: cached ahead of time so they play even while the speech provider is down.</summary>
    public IEnumerable<string> FaultPhrases => [RetryFiller, NotUnderstoodApology, CutOffApology, TroubleHearingNotice, CannotHearGoodbye];
}
