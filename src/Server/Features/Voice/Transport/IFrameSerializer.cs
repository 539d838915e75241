namespace EstateVoice.Server.Features.Voice.Transport;

/// <summary>
/// A media-stream protocol, both ways (Pipecat's <c>FrameSerializer</c>): inbound messages become frames and stream
/// events for <see cref="MediaStreamInput"/>; what the agent sends (audio, marks, clear, transcripts) becomes the
/// protocol's messages for <see cref="MediaStreamOutput"/>. One instance per socket: it keeps the stream's state
/// (its id, the last sequence number) and reuses its message and audio-frame objects, so a media message costs no
/// allocation either way. Not thread-safe inbound (one receive loop); outbound calls are serialised by the output.
/// </summary>
public interface IFrameSerializer
{
    /// <summary>
    /// Decodes one inbound text message. A returned audio frame (and its buffer) is reused by the next call:
    /// it is valid until then.
    /// </summary>
    InputMessage Deserialize(ReadOnlySpan<byte> message);

    /// <summary>The stream's id, which every outbound message carries; set once the stream is admitted.</summary>
    void UseStream(string streamSid);

    /// <summary>The largest media message <see cref="WriteMedia"/> writes for <paramref name="audioBytes"/> of audio.</summary>
    int MaxMediaMessageBytes(int audioBytes);

    /// <summary>Writes a media message carrying <paramref name="mulaw"/> into <paramref name="destination"/>; returns its length.</summary>
    int WriteMedia(ReadOnlySpan<byte> mulaw, Span<byte> destination);

    /// <summary>Asks the peer to echo <paramref name="name"/> once the audio sent before it has played.</summary>
    byte[] Mark(string name);

    /// <summary>Empties the peer's playback buffer (barge-in).</summary>
    byte[] Clear();

    /// <summary>Live words of either speaker; null when this protocol carries none (Twilio).</summary>
    byte[]? Transcript(string speaker, string text, bool isFinal);
}

/// <summary>What an inbound message is, for the input transport.</summary>
public enum InputKind
{
    /// <summary>Malformed, out of order or of no use: logged (<see cref="InputMessage.Skipped"/>) and skipped.</summary>
    Skip,
    /// <summary>The protocol's hello; nothing to do.</summary>
    Connected,
    /// <summary>The stream starts (<see cref="InputMessage.Start"/>): the host admits it or refuses it.</summary>
    Start,
    /// <summary>A start whose audio format this serializer cannot decode: the stream is refused.</summary>
    UnsupportedFormat,
    /// <summary>Caller audio (<see cref="InputMessage.Frame"/> is the reused <see cref="InputAudioFrame"/>), or none to pass on (another track, no payload).</summary>
    Audio,
    /// <summary>A frame for the pipeline (<see cref="InputMessage.Frame"/>): a mark echoed, a key pressed.</summary>
    Frame,
    /// <summary>Typed words (<see cref="InputMessage.Text"/>): the input stamps them with the call's clock.</summary>
    Text,
    /// <summary>The peer ends the stream.</summary>
    Stop,
}

/// <summary>One decoded inbound message. A value type: decoding a media message allocates nothing.</summary>
public readonly record struct InputMessage(InputKind Kind, Frame? Frame = null, StreamStart? Start = null, string? Text = null, string? Skipped = null)
{
    public static InputMessage Skip(string reason) => new(InputKind.Skip, Skipped: reason);
}

/// <summary>The stream's start: its ids and the custom parameters the TwiML (or the browser) passed along.</summary>
public sealed record StreamStart(string? StreamSid, string? CallSid, IReadOnlyDictionary<string, string> Parameters);
