using System.Globalization;
using CsvHelper;
using Enforcement.Media.Player.Display;
using Enforcement.Media.Player.Ledger;

namespace Enforcement.Media.Player.Retention;

/// <summary>
/// The destruction register as CSV, written the way the ledger is (<see cref="LedgerCsv.Options"/>: RFC 4180,
/// every cell quoted, quotes doubled, CRLF rows, a cell a spreadsheet would take for a formula escaped with a
/// leading apostrophe) — names and reasons are typed by people. Times are the display time zone's, with its offset,
/// as on every page and in the ledger CSV; lists are joined with <c>; </c>.
/// </summary>
public static class DestructionRegisterCsv
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "disposed_at", "recording_id", "original_name", "sha256", "size_bytes", "case_numbers", "retention_class", "retention_rule", "retained_until",
        "proposed_by", "proposed_at", "proposal_reason", "approved_by", "approved_at", "approval_reason", "deleted_objects", "store_confirmation",
    ];

    public static string Write(IEnumerable<DestructionRegisterEntry> entries, LocalClock clock)
    {
        string Time(DateTimeOffset? value) => value is { } instant ? clock.Show(instant) : string.Empty;
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, LedgerCsv.Options, leaveOpen: true))
        {
            csv.WriteRecord([.. Columns]);
            foreach (var e in entries)
            {
                csv.WriteRecord([
                    Time(e.DisposedAt),
                    e.RecordingId.ToString(),
                    e.OriginalName,
                    e.Sha256,
                    e.SizeBytes.ToString(CultureInfo.InvariantCulture),
                    string.Join("; ", e.CaseNumbers),
                    e.RetentionClass,
                    e.RetentionRule ?? string.Empty,
                    Time(e.RetainedUntil),
                    e.ProposedBy ?? string.Empty,
                    Time(e.ProposedAt),
                    e.ProposalReason ?? string.Empty,
                    e.ApprovedBy ?? string.Empty,
                    Time(e.ApprovedAt),
                    e.ApprovalReason ?? string.Empty,
                    string.Join("; ", e.DeletedObjects),
                    e.StoreConfirmation,
                ]);
            }
        }

        return text.ToString();
    }
}
