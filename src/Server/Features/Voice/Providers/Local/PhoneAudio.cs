using System.Buffers.Binary;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice.Providers.Local;

/// <summary>WAV (16-bit PCM) → 8 kHz mu-law: low-pass below the new Nyquist, then resample. Used for espeak-ng's 22.05 kHz output.</summary>
public static class PhoneAudio
{
    /// <summary>Reads a RIFF/WAVE buffer: sample rate and the PCM16 samples of the first channel.</summary>
    public static (int SampleRate, short[] Samples) ReadWav(ReadOnlySpan<byte> wav)
    {
        if (wav.Length < 12 || !wav[..4].SequenceEqual("RIFF"u8) || !wav.Slice(8, 4).SequenceEqual("WAVE"u8))
            throw new InvalidDataException("not a WAV file");
        int sampleRate = 0, channels = 1, bits = 16;
        var pos = 12;
        while (pos + 8 <= wav.Length)
        {
            var id = wav.Slice(pos, 4);
            var size = BinaryPrimitives.ReadInt32LittleEndian(wav.Slice(pos + 4, 4));
            var body = pos + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                channels = BinaryPrimitives.ReadInt16LittleEndian(wav.Slice(body + 2, 2));
                sampleRate = BinaryPrimitives.ReadInt32LittleEndian(wav.Slice(body + 4, 4));
                bits = BinaryPrimitives.ReadInt16LittleEndian(wav.Slice(body + 14, 2));
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (bits != 16) throw new InvalidDataException("only 16-bit PCM WAV is supported");
                // espeak-ng writes 0x7FFFFFFF as the data size when streaming to stdout: take what is there.
                var available = wav.Length - body;
                var length = size < 0 || size > available ? available : size;
                var frames = length / (2 * channels);
                var samples = new short[frames];
                for (var i = 0; i < frames; i++)
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(wav.Slice(body + i * 2 * channels, 2));
                return (sampleRate, samples);
            }
            pos = body + Math.Max(0, size) + (size & 1);
        }
        throw new InvalidDataException("WAV has no data chunk");
    }

    /// <summary>Windowed-sinc low-pass at 3.6 kHz evaluated at each output instant (filter and resample in one pass).</summary>
    public static byte[] ToMulaw8k(ReadOnlySpan<short> samples, int sampleRate)
    {
        if (sampleRate == MuLaw.SampleRate)
        {
            var same = new byte[samples.Length];
            MuLaw.Encode(samples, same);
            return same;
        }
        const int halfTaps = 16;
        var ratio = (double)sampleRate / MuLaw.SampleRate;
        var cutoff = Math.Min(3600.0 / sampleRate, 0.5); // cycles per input sample
        var outLength = (int)(samples.Length / ratio);
        var output = new byte[outLength];
        for (var n = 0; n < outLength; n++)
        {
            var center = n * ratio;
            var first = (int)Math.Ceiling(center - halfTaps);
            double acc = 0, norm = 0;
            for (var k = first; k <= center + halfTaps; k++)
            {
                var x = k - center;
                var sinc = x == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
                var window = 0.5 + 0.5 * Math.Cos(Math.PI * x / (halfTaps + 1));
                var w = sinc * window;
                norm += w;
                if (k >= 0 && k < samples.Length) acc += samples[k] * w;
            }
            var value = norm == 0 ? 0 : acc / norm;
            output[n] = MuLaw.Encode((short)Math.Clamp(value, short.MinValue, short.MaxValue));
        }
        return output;
    }
}
