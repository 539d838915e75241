using System.Buffers.Binary;
using EstateVoice.Server.Features.Voice.Recording;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Tests.Features.Voice.Recording;

/// <summary>The WAV tap alone: a hand-moved clock, frames in, the file's bytes out.</summary>
public sealed class CallAudioTapTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tap-").FullName;
    private TimeSpan _now;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private CallAudioTap NewTap() => new(Path.Combine(_dir, "call.wav"), () => _now);

    private static byte[] Frame(byte value) => Enumerable.Repeat(value, MuLaw.FrameBytes).ToArray();

    private static (byte[] Left, byte[] Right) ReadChannels(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal("RIFF"u8.ToArray(), bytes[..4]);
        Assert.Equal(7, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(20)));  // G.711 mu-law
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(22)));  // stereo
        Assert.Equal(8000u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(24)));
        var dataLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(54));
        Assert.Equal(bytes.Length - WavHeader.Length, dataLength);
        Assert.Equal((uint)(bytes.Length - 8), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        var data = bytes[WavHeader.Length..];
        return (data.Where((_, i) => i % 2 == 0).ToArray(), data.Where((_, i) => i % 2 == 1).ToArray());
    }

    [Fact]
    public async Task Caller_goes_left_and_agent_right_at_the_time_each_played_byte_exact()
    {
        var caller = Enumerable.Range(0, MuLaw.FrameBytes).Select(i => (byte)i).ToArray();
        var agent = Enumerable.Range(0, MuLaw.FrameBytes).Select(i => (byte)(255 - i)).ToArray();
        using (var tap = NewTap())
        {
            tap.Caller(caller, TimeSpan.Zero);
            _now = TimeSpan.FromSeconds(1);
            tap.Agent(agent);
            await tap.CompleteAsync();
        }
        var (left, right) = ReadChannels(Path.Combine(_dir, "call.wav"));
        Assert.Equal(8000 + 160, left.Length);
        Assert.Equal(caller, left[..160]);
        Assert.All(left[160..], b => Assert.Equal(MuLaw.Silence, b));
        Assert.All(right[..8000], b => Assert.Equal(MuLaw.Silence, b));
        Assert.Equal(agent, right[8000..]);
    }

    [Fact]
    public async Task Agent_audio_a_clear_discarded_before_it_played_is_not_recorded()
    {
        using (var tap = NewTap())
        {
            // Five frames sent at once (the pacer's lead queued at the far end): they would play 0-100 ms.
            for (byte i = 1; i <= 5; i++) tap.Agent(Frame(i));
            _now = TimeSpan.FromMilliseconds(40); // barge-in: the caller heard two frames, the rest is cleared
            tap.Clear();
            tap.Caller(Frame(0x10), TimeSpan.Zero); // the caller's first frame, arriving now; untouched by the clear
            _now = TimeSpan.FromMilliseconds(200);
            tap.Agent(Frame(9)); // a later reply plays when it is sent
            await tap.CompleteAsync();
        }
        var (left, right) = ReadChannels(Path.Combine(_dir, "call.wav"));
        Assert.Equal(1600 + 160, right.Length);
        Assert.Equal(Frame(1), right[..160]);
        Assert.Equal(Frame(2), right[160..320]);
        Assert.All(right[320..1600], b => Assert.Equal(MuLaw.Silence, b)); // frames 3-5 never played
        Assert.Equal(Frame(9), right[1600..]);
        Assert.Equal(Frame(0x10), left[320..480]);
        Assert.All(left[..320], b => Assert.Equal(MuLaw.Silence, b));
    }

    [Fact]
    public async Task A_long_call_stays_aligned_across_the_window_and_only_the_window_is_held()
    {
        // 30 s of caller frames and a paced agent talking over the second half: well past the 2 s window.
        using (var tap = NewTap())
        {
            for (var n = 0; n < 1500; n++)
            {
                _now = TimeSpan.FromMilliseconds(n * 20 + 7); // arrives a little after it was said: placed by its offset
                tap.Caller(Frame((byte)(n % 200)), TimeSpan.FromMilliseconds(n * 20));
                if (n >= 750) tap.Agent(Frame((byte)(n % 100 + 1)));
            }
            await tap.CompleteAsync();
            Assert.Equal(1500 * 160 + 56, tap.Samples); // the shift: the first frame came 7 ms into the call
        }
        var (left, right) = ReadChannels(Path.Combine(_dir, "call.wav"));
        for (var n = 0; n < 1500; n += 97)
        {
            Assert.Equal(Frame((byte)(n % 200)), left[(56 + n * 160)..(56 + n * 160 + 160)]);
            if (n >= 750) Assert.Equal(Frame((byte)(n % 100 + 1)), right[(56 + n * 160)..(56 + n * 160 + 160)]);
        }
        Assert.All(right[..(56 + 750 * 160)], b => Assert.Equal(MuLaw.Silence, b));
    }
}
