using EstateVoice.Server.Tests.Infrastructure;

namespace EstateVoice.Server.Tests.Fakes;

/// <summary>Caller utterances from the shared fixtures (mu-law WAV) as raw mu-law bytes.</summary>
public static class AudioFixtures
{
    public static string Directory => FixturePaths.AudioDirectory;

    public static byte[] MuLaw(string name) => WavData(File.ReadAllBytes(Path.Combine(Directory, name + ".wav")));

    public static IReadOnlyDictionary<string, string> Transcripts() =>
        File.ReadAllLines(Path.Combine(Directory, "transcripts.tsv"))
            .Where(l => l.Contains('\t'))
            .Select(l => l.Split('\t', 2))
            .ToDictionary(p => Path.GetFileNameWithoutExtension(p[0]), p => p[1].Trim());

    /// <summary>The bytes of the RIFF <c>data</c> chunk (headers vary in length, so walk the chunks).</summary>
    public static byte[] WavData(byte[] wav)
    {
        var position = 12;
        while (position + 8 <= wav.Length)
        {
            var id = System.Text.Encoding.ASCII.GetString(wav, position, 4);
            var size = BitConverter.ToInt32(wav, position + 4);
            if (id == "data") return wav.AsSpan(position + 8, Math.Min(size, wav.Length - position - 8)).ToArray();
            position += 8 + size + (size & 1);
        }
        throw new InvalidDataException("WAV has no data chunk");
    }
}
