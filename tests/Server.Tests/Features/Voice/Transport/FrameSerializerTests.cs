using System.Text;
using System.Text.Json;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Transport;

namespace EstateVoice.Server.Tests.Features.Voice.Transport;

/// <summary>The media-stream serializers: Twilio's JSON in → frames and stream events; what the agent sends → Twilio's JSON.</summary>
public sealed class FrameSerializerTests
{
    private static InputMessage Decode(IFrameSerializer serializer, string json) => serializer.Deserialize(Encoding.UTF8.GetBytes(json));

    private static string Media(int sequence, byte[] audio, long? timestamp = 40, string track = "inbound") =>
        $$$"""{"event":"media","sequenceNumber":"{{{sequence}}}","streamSid":"MZ1","media":{"track":"{{{track}}}","chunk":"1",{{{(timestamp is { } t ? $"\"timestamp\":\"{t}\"," : "")}}}"payload":"{{{Convert.ToBase64String(audio)}}}"}}""";

    private const string Start = """{"event":"start","sequenceNumber":"1","start":{"streamSid":"MZ9","accountSid":"AC1","callSid":"CA1","tracks":["inbound"],"customParameters":{"call_id":"42","stream_token":"t0k"},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}},"streamSid":"MZ9"}""";

    [Fact]
    public void Start_becomes_the_streams_ids_and_parameters()
    {
        var message = Decode(new TwilioFrameSerializer(), Start);
        Assert.Equal(InputKind.Start, message.Kind);
        Assert.Equal(("MZ9", "CA1", "42", "t0k"), (message.Start!.StreamSid, message.Start.CallSid, message.Start.Parameters["call_id"], message.Start.Parameters["stream_token"]));
    }

    [Theory]
    [InlineData("audio/l16", 8000, 1)]
    [InlineData("audio/x-mulaw", 16000, 1)]
    [InlineData("audio/x-mulaw", 8000, 2)]
    public void A_start_in_another_audio_format_is_unsupported(string encoding, int rate, int channels)
    {
        var json = Start.Replace("\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1", $"\"{encoding}\",\"sampleRate\":{rate},\"channels\":{channels}", StringComparison.Ordinal);
        Assert.Equal(InputKind.UnsupportedFormat, Decode(new TwilioFrameSerializer(), json).Kind);
    }

    [Fact]
    public void Media_becomes_one_reused_audio_frame_at_twilios_timestamp_or_else_its_frame_count()
    {
        var serializer = new TwilioFrameSerializer();
        var first = Decode(serializer, Media(2, [.. Enumerable.Range(0, 160).Select(i => (byte)i)], timestamp: 40));
        var audio = Assert.IsType<InputAudioFrame>(first.Frame);
        Assert.Equal((InputKind.Audio, 160, (byte)159, TimeSpan.FromMilliseconds(40)), (first.Kind, audio.Mulaw.Length, audio.Mulaw.Span[159], audio.Offset));

        var second = Decode(serializer, Media(3, new byte[160], timestamp: null));
        Assert.Same(audio, second.Frame);
        // Without a timestamp: its place in the stream by count (the second frame decoded starts at 20 ms).
        Assert.Equal(TimeSpan.FromMilliseconds(20), audio.Offset);
    }

    [Fact]
    public void Outbound_track_media_and_empty_payloads_carry_no_frame()
    {
        var serializer = new TwilioFrameSerializer();
        var outbound = Decode(serializer, Media(2, new byte[160], track: "outbound"));
        var empty = Decode(serializer, Media(3, []));
        Assert.Equal((InputKind.Audio, null, InputKind.Audio, null), (outbound.Kind, outbound.Frame, empty.Kind, empty.Frame));
    }

    [Fact]
    public void Marks_keys_typed_words_and_stop_decode_to_their_frames_and_events()
    {
        var serializer = new BrowserFrameSerializer();
        Assert.Equal("s1", Assert.IsType<MarkPlayedFrame>(Decode(serializer, """{"event":"mark","sequenceNumber":"2","mark":{"name":"s1"}}""").Frame).Name);
        Assert.Equal('0', Assert.IsType<DtmfFrame>(Decode(serializer, """{"event":"dtmf","sequenceNumber":"3","dtmf":{"digit":"0"}}""").Frame).Digit);
        var text = Decode(serializer, """{"event":"text","text":"  three bedrooms  "}""");
        Assert.Equal((InputKind.Text, "three bedrooms"), (text.Kind, text.Text));
        Assert.Equal(InputKind.Stop, Decode(serializer, """{"event":"stop","sequenceNumber":"4","stop":{"callSid":"CA1"}}""").Kind);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("""{"event":"bogus"}""")]
    [InlineData("""{"event":"mark","mark":{}}""")]
    [InlineData("""{"event":"dtmf","dtmf":{"digit":""}}""")]
    [InlineData("""{"event":"text","text":"   "}""")]
    [InlineData("""{"event":"media","media":{"payload":"!!!"}}""")]
    public void Malformed_or_empty_messages_are_skipped_with_a_reason(string json)
    {
        var message = Decode(new TwilioFrameSerializer(), json);
        Assert.Equal(InputKind.Skip, message.Kind);
        Assert.False(string.IsNullOrEmpty(message.Skipped));
    }

    [Fact]
    public void A_sequence_number_that_does_not_move_forward_is_skipped()
    {
        var serializer = new TwilioFrameSerializer();
        Assert.Equal(InputKind.Audio, Decode(serializer, Media(5, new byte[160])).Kind);
        var replay = Decode(serializer, Media(5, new byte[160]));
        Assert.Equal((InputKind.Skip, "out-of-order sequence 5 after 5"), (replay.Kind, replay.Skipped));
        Assert.Equal(InputKind.Skip, Decode(serializer, """{"event":"stop","sequenceNumber":"4"}""").Kind);
        Assert.Equal(InputKind.Audio, Decode(serializer, Media(6, new byte[160])).Kind);
    }

    [Fact]
    public void Decoding_a_media_message_allocates_nothing()
    {
        var serializer = new TwilioFrameSerializer();
        var json = Encoding.UTF8.GetBytes(Media(1, new byte[160]));
        var noSequence = Encoding.UTF8.GetBytes(Media(0, new byte[160]));
        serializer.Deserialize(json);
        serializer.Deserialize(noSequence);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) serializer.Deserialize(noSequence);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Audio_out_becomes_a_media_message_for_the_stream_written_without_allocating()
    {
        var serializer = new TwilioFrameSerializer();
        serializer.UseStream("MZ\"7");
        var audio = Enumerable.Range(0, 160).Select(i => (byte)(255 - i)).ToArray();
        var buffer = new byte[serializer.MaxMediaMessageBytes(640)];
        var length = serializer.WriteMedia(audio, buffer);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) serializer.WriteMedia(audio, buffer);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        using var json = JsonDocument.Parse(buffer.AsMemory(0, length));
        Assert.Equal(("media", "MZ\"7"), (json.RootElement.GetProperty("event").GetString(), json.RootElement.GetProperty("streamSid").GetString()));
        Assert.Equal(audio, Convert.FromBase64String(json.RootElement.GetProperty("media").GetProperty("payload").GetString()!));
    }

    [Fact]
    public void What_the_agent_sends_round_trips_through_the_inbound_parser()
    {
        // The browser page echoes what it is sent; the same serializer reads the echo back.
        var serializer = new BrowserFrameSerializer();
        serializer.UseStream("MZ1");
        var audio = new byte[160];
        Array.Fill(audio, (byte)0x42);
        var buffer = new byte[serializer.MaxMediaMessageBytes(160)];
        var back = serializer.Deserialize(buffer.AsSpan(0, serializer.WriteMedia(audio, buffer)));
        Assert.Equal(audio, Assert.IsType<InputAudioFrame>(back.Frame).Mulaw.ToArray());
        Assert.Equal("s3", Assert.IsType<MarkPlayedFrame>(serializer.Deserialize(serializer.Mark("s3")).Frame).Name);
    }

    [Fact]
    public void Marks_and_clear_carry_the_stream_and_only_the_browser_gets_transcripts()
    {
        var twilio = new TwilioFrameSerializer();
        twilio.UseStream("MZ1");
        Assert.Equal("""{"event":"mark","streamSid":"MZ1","mark":{"name":"s1"}}""", Encoding.UTF8.GetString(twilio.Mark("s1")));
        Assert.Equal("""{"event":"clear","streamSid":"MZ1"}""", Encoding.UTF8.GetString(twilio.Clear()));
        Assert.Null(twilio.Transcript("agent", "Hello.", true));

        var browser = new BrowserFrameSerializer();
        browser.UseStream("MZ2");
        Assert.Equal("""{"event":"transcript","speaker":"caller","text":"Hi","is_final":false}""", Encoding.UTF8.GetString(browser.Transcript("caller", "Hi", false)!));
        Assert.Equal("""{"event":"clear","streamSid":"MZ2"}""", Encoding.UTF8.GetString(browser.Clear()));
    }
}
