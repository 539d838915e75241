using System.Runtime.InteropServices;

namespace EstateVoice.Server.Features.Outbound.Compliance;

/// <summary>A line of an uploaded registry file that is not a 10-digit number.</summary>
public sealed record BadRegistryLine(long Line, string Text);

/// <summary>What reading a registry file gave: the numbers (sorted, distinct) and the lines that were not numbers.</summary>
public sealed record ParsedRegistry(long[] Numbers, long BadLineCount, IReadOnlyList<BadRegistryLine> FirstBadLines);

/// <summary>
/// The national Do-Not-Call registry as this node holds it: the 10-digit numbers as a sorted <c>long[]</c> searched
/// by halves (1,000,000 numbers = 8 MB, ~20 comparisons a lookup), swapped whole when a newer upload is loaded.
/// </summary>
public sealed class NationalDncRegistry
{
    public const int MaxBadLinesReported = 20;

    private sealed record Loaded(long[] Numbers, int? UploadId, DateTimeOffset? LoadedAt);

    private volatile Loaded _loaded = new([], null, null);

    public int Count => _loaded.Numbers.Length;
    public int? UploadId => _loaded.UploadId;
    public DateTimeOffset? LoadedAt => _loaded.LoadedAt;

    public void Replace(long[] sortedNumbers, int uploadId, DateTimeOffset at) => _loaded = new Loaded(sortedNumbers, uploadId, at);

    /// <summary>True when the E.164 number is a US/Canada (+1) number on the registry.</summary>
    public bool Contains(string? e164) => ToTenDigits(e164) is { } n && Array.BinarySearch(_loaded.Numbers, n) >= 0;

    public static long? ToTenDigits(string? e164)
    {
        if (e164 is not { Length: 12 } || !e164.StartsWith("+1", StringComparison.Ordinal)) return null;
        long n = 0;
        for (var i = 2; i < 12; i++)
        {
            var c = e164[i];
            if (!char.IsAsciiDigit(c)) return null;
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /// <summary>
    /// One number a line: 10 digits, or 11 starting with 1 (with or without +); spaces, dashes, dots, commas and
    /// brackets between digits are ignored (the FTC's files come as "AAA,NNNNNNN" or plain). Blank lines are skipped.
    /// </summary>
    public static async Task<ParsedRegistry> ParseAsync(Stream file, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(file, leaveOpen: true);
        var numbers = new List<long>(1 << 16);
        var bad = new List<BadRegistryLine>();
        long badCount = 0, lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (ParseLine(line) is { } n) numbers.Add(n);
            else
            {
                badCount++;
                if (bad.Count < MaxBadLinesReported) bad.Add(new BadRegistryLine(lineNumber, line.Length > 40 ? line[..40] : line));
            }
        }
        var sorted = numbers.ToArray();
        Array.Sort(sorted);
        return new ParsedRegistry(Distinct(sorted), badCount, bad);
    }

    public static long? ParseLine(ReadOnlySpan<char> line)
    {
        long n = 0;
        var digits = 0;
        foreach (var c in line.Trim())
        {
            if (char.IsAsciiDigit(c))
            {
                if (++digits > 11) return null;
                n = n * 10 + (c - '0');
            }
            else if (c is not (' ' or '-' or '.' or ',' or '(' or ')' or '+' or '\t')) return null;
        }
        if (digits == 11 && n / 10_000_000_000L == 1) n -= 10_000_000_000L;
        else if (digits != 10) return null;
        // NANP area codes and exchanges never start with 0 or 1.
        return n / 1_000_000_000L >= 2 ? n : null;
    }

    /// <summary>The stored form: little-endian 64-bit integers, sorted (8 bytes a number, read back without parsing).</summary>
    public static byte[] ToBytes(long[] sorted)
    {
        var bytes = MemoryMarshal.AsBytes(sorted.AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The registry blob is little-endian.");
        return bytes;
    }

    public static async Task<long[]> FromStreamAsync(Stream blob, long length, CancellationToken cancellationToken)
    {
        var numbers = new long[length / 8];
        var bytes = MemoryMarshal.AsBytes(numbers.AsSpan()).Length;
        var buffer = new byte[Math.Min(bytes, 1 << 20)];
        var offset = 0;
        while (offset < bytes)
        {
            var read = await blob.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, bytes - offset)), cancellationToken);
            if (read == 0) throw new EndOfStreamException("The registry blob is shorter than its length.");
            buffer.AsSpan(0, read).CopyTo(MemoryMarshal.AsBytes(numbers.AsSpan())[offset..]);
            offset += read;
        }
        return numbers;
    }

    private static long[] Distinct(long[] sorted)
    {
        if (sorted.Length == 0) return sorted;
        var w = 1;
        for (var r = 1; r < sorted.Length; r++)
            if (sorted[r] != sorted[w - 1]) sorted[w++] = sorted[r];
        return w == sorted.Length ? sorted : sorted[..w];
    }
}
