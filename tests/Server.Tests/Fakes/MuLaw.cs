namespace EstateVoice.Server.Tests.Fakes;

/// <summary>G.711 mu-law helpers for fakes and fixtures (independent of the server's codec on purpose).</summary>
public static class MuLaw
{
    public const byte Silence = 0xFF;

    public static short Decode(byte mulaw)
    {
        var u = ~mulaw & 0xFF;
        var t = ((u & 0x0F) << 3) + 0x84;
        t <<= (u & 0x70) >> 4;
        return (short)((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
    }

    public static byte[] SilenceBytes(TimeSpan duration) => Enumerable.Repeat(Silence, (int)(duration.TotalSeconds * 8000)).ToArray();
}
