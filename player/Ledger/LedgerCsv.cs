using System.Globalization;
using System.Text;

namespace Enforcement.Media.Player.Ledger;

/// <summary>
/// The ledger as CSV (RFC 4180: every cell quoted, quotes doubled, CRLF rows, a header row). A cell that a
/// spreadsheet would read as a formula — starting with <c>= + - @</c>, tab or carriage return — gets a
/// leading apostrophe (OWASP "CSV injection"), since reasons and user agents are typed by users.
/// </summary>
public static class LedgerCsv
{
    private static readonly string[] Header =
        ["sessionId", "user", "recordingId", "caseNumbers", "reason", "variant", "approvalId", "clientAddress", "userAgent", "startedAt", "endedAt", "watched", "bytesServed"];

    public static string Write(IEnumerable<LedgerEntry> entries)
    {
        var csv = new StringBuilder();
        Row(csv, Header);
        foreach (var e in entries)
        {
            Row(csv, [
                e.SessionId.ToString(),
                e.User,
                e.RecordingId.ToString(),
                string.Join(' ', e.CaseNumbers),
                e.Reason,
                e.Variant,
                e.ApprovalId?.ToString() ?? string.Empty,
                e.ClientAddress,
                e.UserAgent,
                e.StartedAt.ToString("O", CultureInfo.InvariantCulture),
                e.EndedAt?.ToString("O", CultureInfo.InvariantCulture) ?? string.Empty,
                string.Join("; ", e.Watched.Select(w => w.ToString())),
                e.BytesServed.ToString(CultureInfo.InvariantCulture),
            ]);
        }

        return csv.ToString();
    }

    public static string Cell(string value)
    {
        var safe = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        return "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static void Row(StringBuilder csv, IEnumerable<string> cells) => csv.AppendJoin(',', cells.Select(Cell)).Append("\r\n");
}
