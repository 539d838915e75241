using System.ComponentModel.DataAnnotations;

namespace EstateVoice.Server.Features.Voice;

/// <summary>
/// Speculative replies (<see cref="Stages.SpeculativeReply"/>): the model starts on the interim transcript when the
/// caller pauses, and its words are spoken only if the final transcript says the same.
/// </summary>
public sealed partial class VoiceOptions
{
    /// <summary>Start the agent's reply at a pause, before the final transcript, and keep it if the final matches.</summary>
    public bool SpeculativeReplies { get; set; } = true;

    /// <summary>
    /// Silence inside an utterance that starts a speculative reply. Shorter than <see cref="SilenceMs"/> on purpose:
    /// the model's first token (~500 ms) is the largest share of the silence the caller hears, and a pause here costs
    /// only a request that is cancelled if the caller goes on talking.
    /// </summary>
    [Range(20, 3000)] public int SpeculationPauseMs { get; set; } = 100;
}
