namespace EstateVoice.Server.Features.Voice.Twilio;

public enum MediaStreamEvent { Unknown, Connected, Start, Media, Dtmf, Mark, Stop, Text }

/// <summary>
/// One parsed inbound Media Streams message. Reused for every message of a socket (the parser resets it), so the
/// hot path — <c>media</c> — allocates nothing: its audio is decoded into the caller's buffer.
/// </summary>
public sealed class MediaStreamMessage
{
    public MediaStreamEvent Event { get; set; }
    public string? StreamSid { get; set; }
    public long SequenceNumber { get; set; }

    // start
    public string? CallSid { get; set; }
    public string? AccountSid { get; set; }
    public Dictionary<string, string> CustomParameters { get; } = new(StringComparer.Ordinal);
    public string? Encoding { get; set; }
    public int SampleRate { get; set; }
    public int Channels { get; set; }

    // media: the audio sits in the parser's buffer, [0, PayloadLength)
    public bool InboundTrack { get; set; }
    public long Chunk { get; set; }
    public long TimestampMs { get; set; }
    public int PayloadLength { get; set; }

    // dtmf / mark / text (browser test calls)
    public char Digit { get; set; }
    public string? MarkName { get; set; }
    public string? Text { get; set; }

    internal void Reset()
    {
        Event = MediaStreamEvent.Unknown;
        SequenceNumber = 0;
        InboundTrack = true;
        Chunk = 0;
        TimestampMs = -1;
        PayloadLength = 0;
        Digit = '\0';
        MarkName = null;
        Text = null;
    }
}
