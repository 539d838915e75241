using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice.Transport;

/// <summary>
/// Twilio Media Streams (Pipecat's <c>TwilioFrameSerializer</c>). Inbound: <see cref="MediaStreamParser"/> fills one
/// reused message and decodes the audio into one reused buffer behind one reused <see cref="InputAudioFrame"/>;
/// messages whose sequence number does not move forward are skipped (Twilio numbers every message of a stream).
/// The audio's position is Twilio's media timestamp, or its frame count when a sender gives none. A <c>text</c>
/// message (typed words; not Twilio's) is accepted here too, as before the split: the test callers type into Twilio
/// streams. Outbound: a media message is built in the output's buffer (the prefix with the stream id precomputed,
/// the audio base64-encoded in place), so the 50-per-second path allocates nothing; marks and clear are rare.
/// </summary>
public class TwilioFrameSerializer : IFrameSerializer
{
    /// <summary>The biggest audio payload accepted in one inbound message (Twilio sends 160 bytes).</summary>
    public const int MaxAudioBytes = 4 * 1024;
    private static readonly byte[] MediaSuffix = "\"}}"u8.ToArray();
    private readonly MediaStreamMessage _message = new();
    private readonly byte[] _audio = new byte[MaxAudioBytes];
    private readonly InputAudioFrame _frame = new(ReadOnlyMemory<byte>.Empty, TimeSpan.Zero);
    private long _lastSequence;
    private long _audioFrames;
    private string _streamSid = "";
    private byte[] _mediaPrefix = [];

    public InputMessage Deserialize(ReadOnlySpan<byte> message)
    {
        if (!MediaStreamParser.TryParse(message, _message, _audio, out var error))
            return InputMessage.Skip(error ?? "malformed");
        var m = _message;
        if (m.SequenceNumber > 0)
        {
            if (m.SequenceNumber <= _lastSequence)
                return InputMessage.Skip($"out-of-order sequence {m.SequenceNumber} after {_lastSequence}");
            _lastSequence = m.SequenceNumber;
        }
        switch (m.Event)
        {
            case MediaStreamEvent.Connected:
                return new InputMessage(InputKind.Connected);
            case MediaStreamEvent.Start:
                if (!string.Equals(m.Encoding, "audio/x-mulaw", StringComparison.OrdinalIgnoreCase) || m.SampleRate != MuLaw.SampleRate || m.Channels is not (0 or 1))
                    return new InputMessage(InputKind.UnsupportedFormat);
                return new InputMessage(InputKind.Start, Start: new StreamStart(m.StreamSid, m.CallSid, new Dictionary<string, string>(m.CustomParameters, StringComparer.Ordinal)));
            case MediaStreamEvent.Media:
                if (!m.InboundTrack || m.PayloadLength == 0) return new InputMessage(InputKind.Audio);
                _frame.Mulaw = _audio.AsMemory(0, m.PayloadLength);
                _frame.Offset = m.TimestampMs >= 0
                    ? TimeSpan.FromMilliseconds(m.TimestampMs)
                    : TimeSpan.FromMilliseconds(_audioFrames * MuLaw.FrameMs);
                _audioFrames++;
                return new InputMessage(InputKind.Audio, _frame);
            case MediaStreamEvent.Mark when m.MarkName is not null:
                return new InputMessage(InputKind.Frame, new MarkPlayedFrame(m.MarkName));
            case MediaStreamEvent.Dtmf when m.Digit != '\0':
                return new InputMessage(InputKind.Frame, new DtmfFrame(m.Digit));
            case MediaStreamEvent.Text when !string.IsNullOrWhiteSpace(m.Text):
                return new InputMessage(InputKind.Text, Text: m.Text.Trim());
            case MediaStreamEvent.Stop:
                return new InputMessage(InputKind.Stop);
            default:
                return InputMessage.Skip($"{m.Event} out of order");
        }
    }

    public void UseStream(string streamSid)
    {
        _streamSid = streamSid;
        _mediaPrefix = Encoding.UTF8.GetBytes($"{{\"event\":\"media\",\"streamSid\":{JsonSerializer.Serialize(streamSid)},\"media\":{{\"payload\":\"");
    }

    public int MaxMediaMessageBytes(int audioBytes) => _mediaPrefix.Length + Base64.GetMaxEncodedToUtf8Length(audioBytes) + MediaSuffix.Length;

    public int WriteMedia(ReadOnlySpan<byte> mulaw, Span<byte> destination)
    {
        _mediaPrefix.CopyTo(destination);
        var position = _mediaPrefix.Length;
        Base64.EncodeToUtf8(mulaw, destination[position..], out _, out var written);
        position += written;
        MediaSuffix.CopyTo(destination[position..]);
        return position + MediaSuffix.Length;
    }

    public byte[] Mark(string name) =>
        JsonSerializer.SerializeToUtf8Bytes(new { @event = "mark", streamSid = _streamSid, mark = new { name } });

    public byte[] Clear() => JsonSerializer.SerializeToUtf8Bytes(new { @event = "clear", streamSid = _streamSid });

    public virtual byte[]? Transcript(string speaker, string text, bool isFinal) => null;
}
