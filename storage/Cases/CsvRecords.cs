using System.Text;

namespace Enforcement.Media.Storage.Cases;

/// <summary>
/// RFC 4180 CSV: comma-separated, fields optionally quoted with <c>"</c>, a quote inside a quoted
/// field doubled, line breaks allowed inside quotes, CRLF or LF records, a leading BOM ignored.
/// Each record carries the line it starts on, so problems can be reported by line.
/// </summary>
public static class CsvRecords
{
    public static async IAsyncEnumerable<CsvRecord> ReadAsync(TextReader reader, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var afterQuote = false;
        var first = true;
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (first)
                {
                    first = false;
                    if (c == '\uFEFF')
                    {
                        continue;
                    }
                }

                if (quoted)
                {
                    if (c == '"')
                    {
                        quoted = false;
                        afterQuote = true;
                    }
                    else
                    {
                        if (c == '\n')
                        {
                            line++;
                        }

                        field.Append(c);
                    }

                    continue;
                }

                switch (c)
                {
                    case '"' when afterQuote:
                        // A doubled quote inside a quoted field: one literal quote.
                        field.Append('"');
                        quoted = true;
                        afterQuote = false;
                        break;
                    case '"' when field.Length == 0:
                        quoted = true;
                        break;
                    case ',':
                        fields.Add(field.ToString());
                        field.Clear();
                        afterQuote = false;
                        break;
                    case '\r':
                        break;
                    case '\n':
                        fields.Add(field.ToString());
                        field.Clear();
                        afterQuote = false;
                        if (fields.Count > 1 || fields[0].Length > 0)
                        {
                            yield return new CsvRecord(recordLine, [.. fields]);
                        }

                        fields.Clear();
                        line++;
                        recordLine = line;
                        break;
                    default:
                        afterQuote = false;
                        field.Append(c);
                        break;
                }
            }
        }

        if (quoted)
        {
            throw new FormatException($"Line {recordLine}: a quoted field is never closed.");
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return new CsvRecord(recordLine, [.. fields]);
        }
    }
}
