using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Tests.Features.Voice.Twilio;

public sealed class MediaStreamCodecTests
{
    [Fact]
    public void Mulaw_round_trips_within_the_codec_step_and_silence_decodes_to_zero()
    {
        Assert.Equal(0, MuLaw.Decode(MuLaw.Silence));
        for (var s = short.MinValue; s < short.MaxValue - 97; s += 97)
        {
            var back = MuLaw.Decode(MuLaw.Encode(s));
            Assert.True(Math.Abs(back - s) <= Math.Max(16, Math.Abs((int)s) / 14), $"{s} -> {back}");
        }
    }

    [Fact]
    public void Media_is_parsed_with_string_numbers_and_decoded_into_the_callers_buffer()
    {
        var payload = Convert.ToBase64String(Enumerable.Range(0, 160).Select(i => (byte)i).ToArray());
        var json = $$$"""{"event":"media","sequenceNumber":"3","streamSid":"MZ1","media":{"track":"inbound","chunk":"2","timestamp":"40","payload":"{{{payload}}}"}}""";
        var message = new MediaStreamMessage();
        var audio = new byte[1024];
        Assert.True(MediaStreamParser.TryParse(System.Text.Encoding.UTF8.GetBytes(json), message, audio, out _));
        Assert.Equal((MediaStreamEvent.Media, 3L, 2L, 40L, 160), (message.Event, message.SequenceNumber, message.Chunk, message.TimestampMs, message.PayloadLength));
        Assert.Equal(159, audio[159]);
    }

    [Fact]
    public void Start_carries_custom_parameters_and_media_format()
    {
        var json = """{"event":"start","sequenceNumber":"1","start":{"streamSid":"MZ9","accountSid":"AC1","callSid":"CA1","tracks":["inbound"],"customParameters":{"call_id":"42","stream_token":"t0k"},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}},"streamSid":"MZ9"}""";
        var m = new MediaStreamMessage();
        Assert.True(MediaStreamParser.TryParse(System.Text.Encoding.UTF8.GetBytes(json), m, new byte[16], out _));
        Assert.Equal(("MZ9", "CA1", "42", "t0k", "audio/x-mulaw", 8000), (m.StreamSid, m.CallSid, m.CustomParameters["call_id"], m.CustomParameters["stream_token"], m.Encoding, m.SampleRate));
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("{\"event\":\"bogus\"}")]
    [InlineData("{\"event\":\"media\",\"media\":{\"payload\":\"!!!\"}}")]
    [InlineData("{\"event\":\"media\",\"media\":{\"payload\":")]
    public void Malformed_messages_are_reported_not_thrown(string json)
    {
        Assert.False(MediaStreamParser.TryParse(System.Text.Encoding.UTF8.GetBytes(json), new MediaStreamMessage(), new byte[16], out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Parsing_a_media_frame_allocates_nothing()
    {
        var json = System.Text.Encoding.UTF8.GetBytes($$$"""{"event":"media","sequenceNumber":"3","streamSid":"MZ1","media":{"track":"inbound","chunk":"2","timestamp":"40","payload":"{{{Convert.ToBase64String(new byte[160])}}}"}}""");
        var message = new MediaStreamMessage();
        var audio = new byte[1024];
        MediaStreamParser.TryParse(json, message, audio, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) MediaStreamParser.TryParse(json, message, audio, out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
