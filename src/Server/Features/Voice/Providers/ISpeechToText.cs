namespace EstateVoice.Server.Features.Voice.Providers;

/// <summary>Streaming speech-to-text: one session per call, caller audio in (G.711 mu-law, 8 kHz, mono), events out.</summary>
public interface ISpeechToText
{
    Task<ISpeechToTextSession> StartAsync(SpeechToTextOptions options, CancellationToken cancellationToken);
}

public sealed record SpeechToTextOptions(
    string CallSid,
    int EndpointingMs = 300,
    int UtteranceEndMs = 1000,
    IReadOnlyList<string>? Keywords = null);

public interface ISpeechToTextSession : IAsyncDisposable
{
    /// <summary>Sends caller audio as it arrives (any length, usually one 20 ms / 160-byte frame).</summary>
    ValueTask SendAudioAsync(ReadOnlyMemory<byte> mulaw, CancellationToken cancellationToken);

    /// <summary>Recognition events in the order the provider produced them; completes when the session ends.</summary>
    IAsyncEnumerable<SttEvent> ReadEventsAsync(CancellationToken cancellationToken);

    /// <summary>Flushes pending audio (Deepgram <c>CloseStream</c>) so final results still arrive, then ends the event stream.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Our VAD heard the caller stop talking at the end of the audio sent so far: a remote recogniser should answer
    /// for it soon, and one that does not is stalled (Deepgram's session reconnects). Local recognisers ignore it.
    /// </summary>
    void CallerStoppedSpeaking()
    {
    }
}

/// <summary>Offsets are measured from the start of the caller audio sent in this session.</summary>
public abstract record SttEvent;

public sealed record SttSpeechStarted(TimeSpan Offset) : SttEvent;

/// <param name="IsFinal">The text for this audio span will not change.</param>
/// <param name="SpeechFinal">The provider's endpointing thinks the caller stopped speaking.</param>
public sealed record SttTranscript(string Text, bool IsFinal, bool SpeechFinal, TimeSpan Start, TimeSpan End, double Confidence) : SttEvent;

public sealed record SttUtteranceEnd(TimeSpan LastWordEnd) : SttEvent;

/// <param name="Recoverable">False when the session cannot continue (the caller must be told).</param>
public sealed record SttError(string Message, bool Recoverable) : SttEvent;

/// <summary>The provider connection is down; audio is kept and replayed once it is back (the stage tells the caller if it takes long).</summary>
/// <param name="QuietFor">
/// How long the provider had already been failing the caller when this was noticed: a socket that stayed open but
/// answered nothing is only given up after a stall limit, and the caller has been waiting since it went quiet.
/// </param>
public sealed record SttConnectionLost(TimeSpan QuietFor) : SttEvent
{
    public static readonly SttConnectionLost Instance = new(TimeSpan.Zero);
}

/// <summary>The provider connection is back and the audio it missed has been replayed.</summary>
public sealed record SttConnectionRestored : SttEvent
{
    public static readonly SttConnectionRestored Instance = new();
}
