using System.Diagnostics;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Tests.Features.Voice.Recording;

/// <summary>Test helpers: a recording decoded back to samples by the real ffmpeg, and loudness per stretch.</summary>
public static class RecordingAudio
{
    /// <summary>Decodes any recording (MP3 or G.711 WAV) to 8 kHz stereo 16-bit samples, one array per channel.</summary>
    public static async Task<(short[] Left, short[] Right)> DecodeAsync(byte[] file)
    {
        var input = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(input, file);
            var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "-nostdin", "-loglevel", "error", "-i", input, "-f", "s16le", "-ac", "2", "-ar", "8000", "-" })
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            using var pcm = new MemoryStream();
            var errors = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.BaseStream.CopyToAsync(pcm);
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, await errors);
            var samples = new short[pcm.Length / 2];
            Buffer.BlockCopy(pcm.GetBuffer(), 0, samples, 0, samples.Length * 2);
            return (samples.Where((_, i) => i % 2 == 0).ToArray(), samples.Where((_, i) => i % 2 == 1).ToArray());
        }
        finally
        {
            File.Delete(input);
        }
    }

    /// <summary>What ffprobe says of a file: codec, channels, sample rate.</summary>
    public static async Task<string> ProbeAsync(byte[] file)
    {
        var input = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(input, file);
            var start = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "-v", "error", "-show_entries", "stream=codec_name,channels,sample_rate", "-of", "csv=p=0", input })
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return output.Trim();
        }
        finally
        {
            File.Delete(input);
        }
    }

    /// <summary>RMS of samples [from, to) seconds.</summary>
    public static double Rms(short[] samples, double fromSeconds, double toSeconds)
    {
        var from = (int)(fromSeconds * MuLaw.SampleRate);
        var to = Math.Min(samples.Length, (int)(toSeconds * MuLaw.SampleRate));
        if (to <= from) return 0;
        double sum = 0;
        for (var i = from; i < to; i++) sum += samples[i] * (double)samples[i];
        return Math.Sqrt(sum / (to - from));
    }

    /// <summary>A mu-law tone of <paramref name="hz"/> for <paramref name="frames"/> 20 ms frames.</summary>
    public static byte[] Tone(double hz, int frames, short amplitude = 8000)
    {
        var bytes = new byte[frames * MuLaw.FrameBytes];
        for (var i = 0; i < bytes.Length; i++)
            bytes[i] = MuLaw.Encode((short)(amplitude * Math.Sin(2 * Math.PI * hz * i / MuLaw.SampleRate)));
        return bytes;
    }
}
