using EstateVoice.Server.Infrastructure.Http;

namespace EstateVoice.Server.Tests.Infrastructure;

public sealed class CsvTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+15125550100", "'+15125550100")]
    [InlineData("-3", "'-3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("=A1,B1", "\"'=A1,B1\"")]
    [InlineData(null, "")]
    public void Cells_are_quoted_and_never_run_as_formulas(string? value, string expected) => Assert.Equal(expected, Csv.Cell(value));
}
