using EstateVoice.CallSimulator;
using EstateVoice.Server.Tests.Infrastructure;

namespace EstateVoice.Server.Tests.Tools;

public class CallSimulatorTests
{
    [Fact]
    public void Signs_requests_like_twilios_published_example()
    {
        var parameters = new Dictionary<string, string>
        {
            ["CallSid"] = "CA1234567890ABCDE", ["Caller"] = "+12349013030", ["Digits"] = "1234",
            ["From"] = "+12349013030", ["To"] = "+18005551212",
        };
        Assert.Equal("0/KCTR6DLpKmkAf8muzZqo1nDgQ=",
            TwilioRequestSigner.Sign("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", parameters));
    }

    [Fact]
    public void Reads_the_mulaw_data_chunk_of_the_fixture_wavs()
    {
        var path = Path.Combine(FixturePaths.AudioDirectory, "backchannel.wav");
        var audio = CallerAudio.ReadMulawWav(path);
        Assert.InRange(audio.Length, new FileInfo(path).Length - 100, new FileInfo(path).Length - 44);
    }

    [Theory]
    [InlineData("{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"payload\":\"AAAA\"}}", "media", 3, null)]
    [InlineData("{\"event\":\"media\",\"media\":{\"payload\":\"AAE=\"},\"streamSid\":\"MZ1\"}", "media", 2, null)]
    [InlineData("{\"streamSid\":\"MZ1\",\"event\":\"mark\",\"mark\":{\"name\":\"s3\"}}", "mark", 0, "s3")]
    [InlineData("{\"event\":\"clear\",\"streamSid\":\"MZ1\"}", "clear", 0, null)]
    [InlineData("{\"event\":\"media\",", null, 0, null)]
    public void Reads_the_servers_messages_without_decoding_the_audio(string json, string? expectedEvent, int payloadBytes, string? mark)
    {
        var message = ServerMessage.Read(System.Text.Encoding.UTF8.GetBytes(json));
        Assert.Equal(new ServerMessage(expectedEvent, payloadBytes, mark), message);
    }
}
