namespace EstateVoice.Server.Features.Voice;

/// <summary>How calls end and are handed over: what the caller hears, and whether a person hears a summary first.</summary>
public sealed partial class VoiceOptions
{
    /// <summary>Said when the agent ends the call without a word of its own (a model may call end_call silently).</summary>
    public string ClosingLine { get; set; } = "Thanks for calling. Goodbye.";

    /// <summary>
    /// Warm transfer: the person who answers hears a one-sentence summary of the call (the agent's, else the reason)
    /// before the caller is connected. Off: a cold transfer.
    /// </summary>
    public bool WarmTransfer { get; set; }

    /// <summary>Said when the phone network refuses a transfer at once; the agent then carries on.</summary>
    public string TransferFailedLine { get; set; } =
        "I'm sorry, I couldn't reach anyone just now. Can I take a message so someone calls you back?";

    /// <summary>Said when the call comes back after a transfer nobody answered (busy, no answer, failed).</summary>
    public string TransferResumeLine { get; set; } =
        "Sorry, nobody could take your call just now. Can I take a message so someone calls you back?";

    /// <summary>Said to a call still live when its server stops (the drain's deadline, a second stop signal), before it ends.</summary>
    public string ShutdownLine { get; set; } =
        "I'm sorry, I have to end our call now. Please call us back and we'll carry on. Goodbye.";

    /// <summary>The fixed phrases of this file: cached ahead of time like the greeting.</summary>
    public IEnumerable<string> CallControlPhrases => [ClosingLine, TransferFailedLine, TransferResumeLine, ShutdownLine];
}
