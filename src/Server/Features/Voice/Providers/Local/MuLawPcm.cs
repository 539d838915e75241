namespace EstateVoice.Server.Features.Voice.Providers.Local;

/// <summary>G.711 mu-law to linear PCM16 (the recogniser needs linear samples). A 256-entry table: decoding is a lookup.</summary>
internal static class MuLawPcm
{
    private static readonly short[] Table = BuildTable();

    public static short Decode(byte mulaw) => Table[mulaw];

    public static void Decode(ReadOnlySpan<byte> mulaw, Span<short> pcm)
    {
        for (var i = 0; i < mulaw.Length; i++) pcm[i] = Table[mulaw[i]];
    }

    /// <summary>Mean absolute amplitude of a mu-law span (0..32124): a cheap energy measure for VADs.</summary>
    public static double MeanAbsolute(ReadOnlySpan<byte> mulaw)
    {
        if (mulaw.IsEmpty) return 0;
        long sum = 0;
        foreach (var b in mulaw) sum += Math.Abs((int)Table[b]);
        return (double)sum / mulaw.Length;
    }

    private static short[] BuildTable()
    {
        var table = new short[256];
        for (var i = 0; i < 256; i++)
        {
            var u = ~i & 0xFF;
            var t = ((u & 0x0F) << 3) + 0x84;
            t <<= (u & 0x70) >> 4;
            table[i] = (short)((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
        }
        return table;
    }
}
