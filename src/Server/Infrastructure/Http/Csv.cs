using System.Text;

namespace EstateVoice.Server.Infrastructure.Http;

/// <summary>
/// RFC 4180 CSV for spreadsheets: every cell quoted when it holds a comma, quote or line break, and a cell that a
/// spreadsheet would run as a formula (starting with = + - @, or a tab/CR that hides one) prefixed with a single
/// quote, so a caller who says "=HYPERLINK(...)" cannot plant a formula in the team's spreadsheet.
/// </summary>
public static class Csv
{
    public static string Line(IEnumerable<string?> cells)
    {
        var line = new StringBuilder();
        foreach (var cell in cells)
        {
            if (line.Length > 0) line.Append(',');
            line.Append(Cell(cell));
        }
        return line.Append("\r\n").ToString();
    }

    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
