using System.Buffers.Binary;
using System.Globalization;
using EstateVoice.Server.Features.Voice.Twilio;

namespace EstateVoice.Server.Features.Voice.Recording;

/// <summary>
/// Joins a stream's WAV to what its call has stored already (a call resumed after a failed transfer is one recording).
/// Every part is placed at its offset on the call's clock and laid over the others, so the result is the same whichever
/// part is stored first (a first part held up by a failed upload, stored at the next start, still lands before the
/// second), and the gap between them (the dial the caller heard ringing) is silence. A stored WAV is joined byte by
/// byte (lossless, no ffmpeg); a stored MP3 is decoded and mixed with the part by ffmpeg (the earlier part is
/// re-encoded once more: acceptable for the rare resumed call, and it keeps one file, one player, one timeline).
/// </summary>
public static class RecordingJoin
{
    /// <summary>Blob metadata listing the offsets (ms) of the parts a stored recording holds: a part already in it is not added twice.</summary>
    public const string PartsMetadata = "parts";

    /// <summary>The parts of a recording stored with its first part (a blob stored without the list holds the part at 0).</summary>
    public static string Parts(TimeSpan offset) => Ms(offset);

    public static string Parts(IReadOnlyDictionary<string, string>? metadata, TimeSpan? add = null)
    {
        var parts = metadata?.GetValueOrDefault(PartsMetadata) is { Length: > 0 } listed ? listed : "0";
        return add is { } offset && !Holds(parts, offset) ? parts + "," + Ms(offset) : parts;
    }

    public static bool Holds(string parts, TimeSpan offset) => parts.Split(',').Contains(Ms(offset));

    /// <summary>ffmpeg's arguments for an MP3 of <paramref name="storedMp3"/> with <paramref name="wav"/> laid over it at <paramref name="offset"/>.</summary>
    public static string[] Mp3Arguments(string storedMp3, string wav, TimeSpan offset, string output) =>
    [
        "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", storedMp3, "-i", wav,
        "-filter_complex", $"[1:a]adelay=delays={Ms(offset)}:all=1[part];[0:a][part]amix=inputs=2:duration=longest:normalize=0",
        "-ac", "2", "-ar", "8000", "-c:a", "libmp3lame", "-compression_level", "9", "-b:a", "24k", "-f", "mp3", output,
    ];

    /// <summary>
    /// Writes <paramref name="output"/>: the stored WAV with the part's samples laid over it from <paramref name="offset"/>
    /// (where the part has sound; silence elsewhere keeps the stored audio). Streams both files in 64 kB pieces.
    /// </summary>
    public static async Task JoinWavAsync(string storedWav, string partWav, TimeSpan offset, string output, CancellationToken cancellationToken)
    {
        await using var stored = new FileStream(storedWav, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        await using var part = new FileStream(partWav, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        await using var joined = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1, useAsync: true);
        var storedBytes = await DataLengthAsync(stored, cancellationToken).ConfigureAwait(false);
        var partBytes = Math.Max(0, part.Length - WavHeader.Length);
        part.Position = WavHeader.Length;
        var partStart = offset.Ticks * MuLaw.SampleRate / TimeSpan.TicksPerSecond * WavHeader.Channels;
        var total = Math.Max(storedBytes, partStart + partBytes);
        var header = new byte[WavHeader.Length];
        WavHeader.Write(header, total / WavHeader.Channels);
        await joined.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        var a = new byte[64 * 1024];
        var b = new byte[64 * 1024];
        for (long at = 0; at < total;)
        {
            var count = (int)Math.Min(a.Length, total - at);
            await FillAsync(stored, a.AsMemory(0, count), Math.Max(0, Math.Min(count, storedBytes - at)), cancellationToken).ConfigureAwait(false);
            var from = Math.Clamp(partStart - at, 0, count); // the part starts within (or before) this piece
            var upTo = (int)Math.Clamp(partStart + partBytes - at, 0, count);
            if (upTo > from)
            {
                await FillAsync(part, b.AsMemory((int)from, upTo - (int)from), upTo - from, cancellationToken).ConfigureAwait(false);
                for (var i = (int)from; i < upTo; i++)
                    if (b[i] != MuLaw.Silence) a[i] = b[i];
            }
            await joined.WriteAsync(a.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
            at += count;
        }
    }

    /// <summary>Reads <paramref name="available"/> bytes into the start of <paramref name="buffer"/> and fills the rest with silence.</summary>
    private static async Task FillAsync(Stream source, Memory<byte> buffer, long available, CancellationToken cancellationToken)
    {
        var read = (int)available;
        if (read > 0) await source.ReadExactlyAsync(buffer[..read], cancellationToken).ConfigureAwait(false);
        buffer.Span[read..].Fill(MuLaw.Silence);
    }

    /// <summary>The stored WAV's data length (ours: the 58-byte header with its data chunk last), positioned at the data.</summary>
    private static async Task<long> DataLengthAsync(FileStream wav, CancellationToken cancellationToken)
    {
        var header = new byte[WavHeader.Length];
        await wav.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
        if (!header.AsSpan(50, 4).SequenceEqual("data"u8) || BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(22)) != WavHeader.Channels)
            throw new InvalidDataException("the stored recording is not a stereo mu-law WAV of ours");
        return Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(54)), wav.Length - WavHeader.Length);
    }

    private static string Ms(TimeSpan offset) => ((long)offset.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
