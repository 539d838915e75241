namespace EstateVoice.Server.Tests.Fakes;

/// <summary>
/// A fault a fake cloud service plays for one connection or request. Faults are queued per endpoint and taken in
/// order as connections/requests arrive; with none left the fake behaves.
/// </summary>
public abstract record ProviderFault
{
    /// <summary>Answer this HTTP status instead of serving (a 500, a 503 outage).</summary>
    public sealed record Refuse(int StatusCode) : ProviderFault;

    /// <summary>Send nothing (not even headers or the WebSocket handshake) for this long, then serve as usual if the client is still there.</summary>
    public sealed record Stall(TimeSpan Duration) : ProviderFault;

    /// <summary>Drop the connection without a close once this many audio bytes went through (received for STT, sent for TTS).</summary>
    public sealed record DropAfterBytes(long Bytes) : ProviderFault;

    /// <summary>Live STT: drop the connection once it has received this much caller speech (so, mid-utterance).</summary>
    public sealed record DropAfterSpeechMs(int Ms) : ProviderFault;

    /// <summary>
    /// Live STT: once this much caller speech came in, answer nothing more — no results, no Metadata, no close after
    /// CloseStream — while the socket stays open and keeps taking audio and KeepAlive (a stalled recogniser). 0: silent from the start.
    /// </summary>
    public sealed record GoSilentAfterSpeechMs(int Ms) : ProviderFault;

    /// <summary>
    /// Live STT: send the first interim result that has words (half the caller's line), then answer nothing more while
    /// the socket stays open — the stall that left a turn ending on the interim's half sentence.
    /// </summary>
    public sealed record GoSilentAfterFirstInterim : ProviderFault;
}
