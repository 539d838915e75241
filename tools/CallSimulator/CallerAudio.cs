using System.Diagnostics;

namespace EstateVoice.CallSimulator;

/// <summary>Caller speech as phone audio: raw G.711 mu-law, 8 kHz, mono (what Twilio streams).</summary>
public static class CallerAudio
{
    public const int FrameBytes = 160; // 20 ms at 8000 samples/s, one byte per sample
    public const byte Silence = 0xFF;  // mu-law encoding of 0

    /// <summary>One 20 ms frame of silence.</summary>
    public static byte[] SilenceFrame()
    {
        var frame = new byte[FrameBytes];
        Array.Fill(frame, Silence);
        return frame;
    }

    /// <summary>A line of text spoken by espeak-ng and converted to mu-law by sox, or a .wav file given as "@path".</summary>
    public static async Task<byte[]> LoadAsync(string line, CancellationToken cancellationToken)
    {
        if (line.StartsWith('@')) return ReadMulawWav(line[1..]);
        var startInfo = new ProcessStartInfo("bash")
        {
            ArgumentList = { "-c", "espeak-ng -v en-us -s 160 --stdout \"$1\" | sox -t wav - -r 8000 -c 1 -e mu-law -t raw -", "speak", line },
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start espeak-ng/sox");
        using var audio = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(audio, cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 || audio.Length == 0)
            throw new InvalidOperationException($"espeak-ng/sox failed: {await process.StandardError.ReadToEndAsync(cancellationToken)} (apt-get install espeak-ng sox)");
        return TrimSilence(audio.ToArray());
    }

    /// <summary>Reads the data chunk of a mu-law WAV file (the fixtures' format).</summary>
    public static byte[] ReadMulawWav(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            var id = System.Text.Encoding.ASCII.GetString(bytes, offset, 4);
            var size = BitConverter.ToInt32(bytes, offset + 4);
            if (id == "fmt " && BitConverter.ToInt16(bytes, offset + 8) != 7)
                throw new InvalidDataException($"{path} is not mu-law (WAVE format 7)");
            if (id == "data") return bytes.AsSpan(offset + 8, Math.Min(size, bytes.Length - offset - 8)).ToArray();
            offset += 8 + size + (size & 1);
        }
        throw new InvalidDataException($"{path} has no data chunk");
    }

    private static byte[] TrimSilence(byte[] audio)
    {
        // espeak pads with silence; near-zero mu-law samples are 0x7F/0xFF and their neighbours.
        static bool Quiet(byte b) => (b & 0x7F) >= 0x7C;
        var start = Array.FindIndex(audio, b => !Quiet(b));
        var end = Array.FindLastIndex(audio, b => !Quiet(b));
        return start < 0 ? audio : audio[start..(end + 1)];
    }
}
