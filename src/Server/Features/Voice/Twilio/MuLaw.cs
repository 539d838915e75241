namespace EstateVoice.Server.Features.Voice.Twilio;

/// <summary>G.711 mu-law, table-based both ways so the per-frame work is lookups only (no allocation, no branches per sample).</summary>
public static class MuLaw
{
    /// <summary>Twilio's frame: 20 ms of 8 kHz, one byte per sample.</summary>
    public const int FrameBytes = 160;
    public const int SampleRate = 8000;
    public const int FrameMs = 20;
    /// <summary>Mu-law code for digital silence (0 after decoding).</summary>
    public const byte Silence = 0xFF;

    private const int Bias = 0x84;
    private const int Clip = 32635;

    private static readonly short[] DecodeTable = BuildDecodeTable();
    // Indexed by the top 14 bits of a 16-bit sample (mu-law has 14 bits of input resolution).
    private static readonly byte[] EncodeTable = BuildEncodeTable();

    public static short Decode(byte mulaw) => DecodeTable[mulaw];

    public static byte Encode(short pcm) => EncodeTable[(pcm >> 2) + 8192];

    public static void Decode(ReadOnlySpan<byte> mulaw, Span<short> pcm)
    {
        var table = DecodeTable;
        for (var i = 0; i < mulaw.Length; i++)
            pcm[i] = table[mulaw[i]];
    }

    public static void Encode(ReadOnlySpan<short> pcm, Span<byte> mulaw)
    {
        var table = EncodeTable;
        for (var i = 0; i < pcm.Length; i++)
            mulaw[i] = table[(pcm[i] >> 2) + 8192];
    }

    /// <summary>Mean square of the decoded samples: the VAD's energy measure.</summary>
    public static double MeanSquare(ReadOnlySpan<byte> mulaw)
    {
        if (mulaw.IsEmpty) return 0;
        var table = DecodeTable;
        long sum = 0;
        foreach (var b in mulaw)
        {
            int s = table[b];
            sum += s * s;
        }
        return (double)sum / mulaw.Length;
    }

    /// <summary>Mean absolute amplitude of the decoded samples (0..32124): the local VAD's cheap energy measure.</summary>
    public static double MeanAbsolute(ReadOnlySpan<byte> mulaw)
    {
        if (mulaw.IsEmpty) return 0;
        var table = DecodeTable;
        long sum = 0;
        foreach (var b in mulaw) sum += Math.Abs((int)table[b]);
        return (double)sum / mulaw.Length;
    }

    private static short[] BuildDecodeTable()
    {
        var table = new short[256];
        for (var i = 0; i < 256; i++)
        {
            var u = ~i & 0xFF;
            var sign = u & 0x80;
            var exponent = (u >> 4) & 0x07;
            var mantissa = u & 0x0F;
            var sample = (((mantissa << 3) + Bias) << exponent) - Bias;
            table[i] = (short)(sign != 0 ? -sample : sample);
        }
        return table;
    }

    private static byte[] BuildEncodeTable()
    {
        var table = new byte[16384];
        for (var i = 0; i < table.Length; i++)
            table[i] = EncodeSlow((i - 8192) << 2);
        return table;
    }

    private static byte EncodeSlow(int sample)
    {
        var sign = (sample >> 8) & 0x80;
        if (sign != 0) sample = -sample;
        if (sample > Clip) sample = Clip;
        sample += Bias;
        var exponent = 7;
        for (var mask = 0x4000; (sample & mask) == 0 && exponent > 0; mask >>= 1)
            exponent--;
        var mantissa = (sample >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }
}
