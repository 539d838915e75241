namespace EstateVoice.Server.Features.Voice.Twilio;

/// <summary>Where the agent's side of the Media Streams protocol goes (the call's WebSocket, or a test recorder).</summary>
public interface IMediaStreamSink
{
    /// <summary>Sends one frame of mu-law audio (usually 160 bytes / 20 ms).</summary>
    ValueTask SendMediaAsync(ReadOnlyMemory<byte> mulaw, CancellationToken cancellationToken);

    ValueTask SendMarkAsync(string name, CancellationToken cancellationToken);

    /// <summary>Empties the caller's playback buffer (barge-in).</summary>
    ValueTask SendClearAsync(CancellationToken cancellationToken);

    /// <summary>Browser test calls show live transcripts; Twilio ignores this.</summary>
    ValueTask SendTranscriptAsync(string speaker, string text, bool isFinal, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
