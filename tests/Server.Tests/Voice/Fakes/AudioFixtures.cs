using System.Buffers.Binary;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Tests.Voice.Fakes;

/// <summary>The shared caller utterances (espeak-ng, mu-law 8 kHz WAV), copied into the test output.</summary>
public static class AudioFixtures
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Voice", "Fixtures");

    public static byte[] Load(string name)
    {
        var wav = File.ReadAllBytes(Path.Combine(Folder, name.EndsWith(".wav", StringComparison.Ordinal) ? name : name + ".wav"));
        var pos = 12;
        while (pos + 8 <= wav.Length)
        {
            var size = BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(pos + 4, 4));
            if (wav.AsSpan(pos, 4).SequenceEqual("data"u8))
                return wav.AsSpan(pos + 8, Math.Min(size, wav.Length - pos - 8)).ToArray();
            pos += 8 + size + (size & 1);
        }
        throw new InvalidDataException("no data chunk");
    }

    public static IReadOnlyDictionary<string, string> Transcripts { get; } =
        File.ReadAllLines(Path.Combine(Folder, "transcripts.tsv"))
            .Select(l => l.Split('\t'))
            .Where(p => p.Length == 2)
            .ToDictionary(p => Path.GetFileNameWithoutExtension(p[0]), p => p[1]);

    public static byte[] Silence(int ms) => Enumerable.Repeat(MuLaw.Silence, ms * 8).ToArray();

    /// <summary>A loud 300 Hz tone: unmistakable speech energy for the VAD.</summary>
    public static byte[] Tone(int ms, double amplitude = 8000)
    {
        var samples = ms * 8;
        var bytes = new byte[samples];
        for (var i = 0; i < samples; i++)
            bytes[i] = MuLaw.Encode((short)(amplitude * Math.Sin(2 * Math.PI * 300 * i / 8000.0)));
        return bytes;
    }
}
