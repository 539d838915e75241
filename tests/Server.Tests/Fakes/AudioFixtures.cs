using System.Buffers.Binary;
using EstateVoice.Server.Tests.Infrastructure;
using ServerMuLaw = EstateVoice.Server.Features.Voice.Twilio.MuLaw;

namespace EstateVoice.Server.Tests.Fakes;

/// <summary>
/// The caller utterances (espeak-ng, mu-law 8 kHz WAV) from tests/fixtures/audio as raw mu-law bytes, their
/// transcripts, and made-up audio (silence, a tone). The one place tests get caller audio from.
/// </summary>
public static class AudioFixtures
{
    public static string Directory => FixturePaths.AudioDirectory;

    /// <summary>The mu-law bytes of a fixture (<c>"buyer-intent"</c> or <c>"buyer-intent.wav"</c>).</summary>
    public static byte[] Load(string name) =>
        WavData(File.ReadAllBytes(Path.Combine(Directory, name.EndsWith(".wav", StringComparison.Ordinal) ? name : name + ".wav")));

    /// <summary>What each fixture says, by name without extension.</summary>
    public static IReadOnlyDictionary<string, string> Transcripts { get; } =
        File.ReadAllLines(Path.Combine(Directory, "transcripts.tsv"))
            .Where(l => l.Contains('\t'))
            .Select(l => l.Split('\t', 2))
            .ToDictionary(p => Path.GetFileNameWithoutExtension(p[0]), p => p[1].Trim());

    public static byte[] Silence(int ms) => Enumerable.Repeat(MuLaw.Silence, ms * 8).ToArray();

    /// <summary>A loud 300 Hz tone: unmistakable speech energy for the VAD.</summary>
    public static byte[] Tone(int ms, double amplitude = 8000)
    {
        var samples = ms * 8;
        var bytes = new byte[samples];
        for (var i = 0; i < samples; i++)
            bytes[i] = ServerMuLaw.Encode((short)(amplitude * Math.Sin(2 * Math.PI * 300 * i / 8000.0)));
        return bytes;
    }

    /// <summary>The bytes of the RIFF <c>data</c> chunk (headers vary in length, so walk the chunks).</summary>
    public static byte[] WavData(byte[] wav)
    {
        var position = 12;
        while (position + 8 <= wav.Length)
        {
            var size = BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(position + 4, 4));
            if (wav.AsSpan(position, 4).SequenceEqual("data"u8))
                return wav.AsSpan(position + 8, Math.Min(size, wav.Length - position - 8)).ToArray();
            position += 8 + size + (size & 1);
        }
        throw new InvalidDataException("WAV has no data chunk");
    }
}
