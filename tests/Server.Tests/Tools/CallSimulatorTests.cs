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
}
