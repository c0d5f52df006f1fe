using Enforcement.Media.Storage.Cases;

namespace Enforcement.Media.Tests.Cases;

public sealed class CsvRecordsTests
{
    private static async Task<List<CsvRecord>> ReadAsync(string text)
    {
        var records = new List<CsvRecord>();
        await foreach (var record in CsvRecords.ReadAsync(new StringReader(text), TestContext.Current.CancellationToken))
        {
            records.Add(record);
        }

        return records;
    }

    [Fact]
    public async Task Quoted_fields_keep_commas_doubled_quotes_and_line_breaks_and_lines_are_counted()
    {
        var records = await ReadAsync("\uFEFFa,b,c\r\n1,\"x, \"\"quoted\"\"\",\"two\nlines\"\n3,,\n");

        Assert.Equal(3, records.Count);
        Assert.Equal(["a", "b", "c"], records[0].Fields);
        Assert.Equal(["1", "x, \"quoted\"", "two\nlines"], records[1].Fields);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(["3", "", ""], records[2].Fields);
        Assert.Equal(4, records[2].Line);
    }

    [Fact]
    public async Task A_last_record_without_a_line_break_is_read()
    {
        var records = await ReadAsync("a,b\n1,2");

        Assert.Equal(["1", "2"], records[^1].Fields);
    }

    [Fact]
    public async Task An_unclosed_quote_is_reported_with_its_line()
    {
        var error = await Assert.ThrowsAsync<FormatException>(() => ReadAsync("a,b\n1,\"never closed\n2,3\n"));

        Assert.Contains("Line 2", error.Message, StringComparison.Ordinal);
    }
}
