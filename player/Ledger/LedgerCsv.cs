using System.Globalization;
using CsvHelper;
using Enforcement.Media.Player.Display;

namespace Enforcement.Media.Player.Ledger;

/// <summary>
/// The ledger as CSV, written with CsvHelper: RFC 4180, every cell quoted, quotes doubled, CRLF rows, a
/// header row. A cell that a spreadsheet would read as a formula — starting with <c>= + - @</c>, tab or
/// carriage return — gets a leading apostrophe (OWASP "CSV Injection"; the library's escape), since reasons
/// and user agents are typed by users.
/// </summary>
public static class LedgerCsv
{
    /// <summary>How the player writes every CSV it hands out (the recorder and destruction registers too), so none can carry a formula.</summary>
    internal static readonly CsvWriterOptions Options = CsvWriterOptions.Default with
    {
        Mode = CsvMode.Rfc4180,
        Quoting = CsvQuoting.Always,
        Injection = CsvInjection.Escape,
        InjectionCharacters = "=+-@\t\r",
        InjectionEscape = '\'',
        NewLine = "\r\n",
    };

    private static readonly string[] Header =
        ["sessionId", "user", "recordingId", "caseNumbers", "reason", "variant", "approvalId", "clientAddress", "userAgent", "startedAt", "endedAt", "watched", "bytesServed"];

    public static string Write(IEnumerable<LedgerEntry> entries, LocalClock clock)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, Options, leaveOpen: true))
        {
            csv.WriteRecord(Header);
            foreach (var e in entries)
            {
                csv.WriteRecord([
                    e.SessionId.ToString(),
                    e.User,
                    e.RecordingId.ToString(),
                    string.Join(' ', e.CaseNumbers),
                    e.Reason,
                    e.Variant,
                    e.ApprovalId?.ToString() ?? string.Empty,
                    e.ClientAddress,
                    e.UserAgent,
                    clock.Show(e.StartedAt),
                    e.EndedAt is { } ended ? clock.Show(ended) : string.Empty,
                    string.Join("; ", e.Watched.Select(w => w.ToString())),
                    e.BytesServed.ToString(CultureInfo.InvariantCulture),
                ]);
            }
        }

        return text.ToString();
    }

    /// <summary>One cell as the ledger writes it (quoted, formula-escaped).</summary>
    public static string Cell(string value)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, Options, leaveOpen: true))
        {
            csv.WriteRecord([value]);
        }

        return text.ToString()[..^2];
    }
}
