using CsvHelper;

namespace Enforcement.Media.Storage.Cases;

/// <summary>
/// RFC 4180 CSV, read with CsvHelper: comma-separated, fields optionally quoted with <c>"</c>, a quote
/// inside a quoted field doubled, line breaks allowed inside quotes, CRLF or LF records, empty lines and a
/// leading BOM ignored. Each record carries the line it starts on, so problems can be reported by line;
/// malformed quoting is a <see cref="FormatException"/> naming the line, never a guess at what was meant
/// (the library's default would read an unclosed quote to the end of the file).
/// </summary>
public static class CsvRecords
{
    private static readonly CsvReaderOptions Options = CsvReaderOptions.Default with
    {
        HasHeader = false,
        Mode = CsvMode.Rfc4180,
        AllowLineBreaksInQuotes = true,
        SkipEmptyLines = true,
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Throw,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
    };

    public static async IAsyncEnumerable<CsvRecord> ReadAsync(TextReader reader, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var csv = CsvReader.Create(reader, Options, leaveOpen: true);
        var first = true;
        while (await ReadAsync(csv, cancellationToken))
        {
            var fields = new string[csv.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = csv.GetString(i);
            }

            if (first && fields.Length > 0 && fields[0].StartsWith('\uFEFF'))
            {
                fields[0] = fields[0][1..]; // a byte-order mark a text reader passed on as a character
            }

            first = false;
            yield return new CsvRecord(checked((int)csv.LineNumber), fields);
        }
    }

    private static async ValueTask<bool> ReadAsync(CsvReader csv, CancellationToken cancellationToken)
    {
        try
        {
            return await csv.ReadAsync(cancellationToken);
        }
        catch (CsvFormatException ex)
        {
            throw new FormatException($"Line {ex.LineNumber}: {ex.Message}", ex);
        }
    }
}
