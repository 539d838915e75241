using System.Text;

namespace EstateVoice.Server.Infrastructure.Http;

/// <summary>
/// Reads RFC 4180 CSV one record at a time from a stream, so an upload of any size is never held in memory:
/// quoted cells may hold commas, doubled quotes and line breaks; CRLF, LF and CR all end a record. A cell
/// that <see cref="Csv.Cell"/> guarded against formulas ('=..., '+1512...) comes back as it was.
/// </summary>
public sealed class CsvReader(TextReader reader)
{
    private readonly StringBuilder cell = new();
    private readonly List<string> record = [];

    /// <summary>Records read so far (the header is record 1), i.e. the spreadsheet row of the last record returned.</summary>
    public int RecordNumber { get; private set; }

    /// <summary>The next record, or null at the end. Blank lines are skipped.</summary>
    public async Task<string[]?> ReadAsync(CancellationToken cancellationToken)
    {
        record.Clear();
        cell.Clear();
        bool quoted = false, any = false, cellStarted = false;
        while (true)
        {
            var c = await NextAsync(cancellationToken);
            if (c < 0)
            {
                if (!any && !cellStarted) return null;
                EndCell();
                break;
            }
            var ch = (char)c;
            any = true;
            if (quoted)
            {
                if (ch != '"') { cell.Append(ch); continue; }
                if (await PeekAsync(cancellationToken) == '"') { await NextAsync(cancellationToken); cell.Append('"'); continue; }
                quoted = false;
                continue;
            }
            switch (ch)
            {
                case '"' when !cellStarted: quoted = cellStarted = true; break;
                case ',': EndCell(); break;
                case '\r' or '\n':
                    if (ch == '\r' && await PeekAsync(cancellationToken) == '\n') await NextAsync(cancellationToken);
                    if (record.Count == 0 && !cellStarted) { any = false; continue; } // blank line
                    EndCell();
                    RecordNumber++;
                    return [.. record];
                default: cell.Append(ch); cellStarted = true; break;
            }
        }
        RecordNumber++;
        return [.. record];

        void EndCell()
        {
            var value = cell.ToString();
            if (value.Length > 1 && value[0] == '\'' && value[1] is '=' or '+' or '-' or '@') value = value[1..];
            record.Add(value);
            cell.Clear();
            cellStarted = false;
        }
    }

    private readonly char[] chunk = new char[16 * 1024];
    private int position, length;

    private async ValueTask<int> NextAsync(CancellationToken cancellationToken)
    {
        if (position == length && !await FillAsync(cancellationToken)) return -1;
        return chunk[position++];
    }

    private async ValueTask<int> PeekAsync(CancellationToken cancellationToken)
    {
        if (position == length && !await FillAsync(cancellationToken)) return -1;
        return chunk[position];
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        length = await reader.ReadAsync(chunk.AsMemory(), cancellationToken);
        position = 0;
        return length > 0;
    }
}
