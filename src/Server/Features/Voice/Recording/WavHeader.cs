using System.Buffers.Binary;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice.Recording;

/// <summary>The header of a stereo 8 kHz G.711 mu-law WAV (format 7), with the "fact" chunk non-PCM formats carry.</summary>
public static class WavHeader
{
    public const int Length = 58;
    public const int Channels = 2;
    public const int DataOffset = Length;
    private const ushort MuLawFormat = 7;

    /// <summary>Writes the header for <paramref name="samples"/> stereo samples (2 bytes each).</summary>
    public static void Write(Span<byte> header, long samples)
    {
        var dataBytes = (uint)Math.Min(samples * Channels, uint.MaxValue - Length);
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], dataBytes + Length - 8);
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 18);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], MuLawFormat);
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], MuLaw.SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], MuLaw.SampleRate * Channels); // bytes a second
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], Channels);                   // block align
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], 8);                          // bits a sample
        BinaryPrimitives.WriteUInt16LittleEndian(header[36..], 0);                          // no extra format bytes
        "fact"u8.CopyTo(header[38..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[42..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[46..], (uint)Math.Min(samples, uint.MaxValue));
        "data"u8.CopyTo(header[50..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[54..], dataBytes);
    }

    /// <summary>
    /// Sets the header's sizes from the file's length: a WAV whose call never completed it (its node died mid-call, and
    /// the file was picked up at the next start) is then a valid WAV of what was written.
    /// </summary>
    public static void Repair(string path)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        var samples = Math.Max(0, RandomAccess.GetLength(file) - Length) / Channels;
        Span<byte> header = stackalloc byte[Length];
        Write(header, samples);
        RandomAccess.Write(file, header, 0);
    }
}
