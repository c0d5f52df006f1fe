using System.Globalization;
using System.Text;
using Enforcement.Media.Player.Display;
using Enforcement.Media.Storage.Audit.Verification;

namespace Enforcement.Media.Player.Exports;

/// <summary>
/// The chain-of-custody report for people: per recording, every event on it in order; then the export's own events and how each is
/// anchored. Times are the display time zone's, with their offset; the machine-readable files beside it keep the audit trail's UTC text.
/// </summary>
public static class CustodyReportText
{
    public static string Render(ExportRequest request, IReadOnlyList<PackageSource> sources, CustodyPlan custody, DateTimeOffset builtAt, LocalClock clock)
    {
        string Time(DateTimeOffset? value) => clock.Show(value);
        var text = new StringBuilder();
        Line(text, $"Chain of custody / 证据保管链 — export {request.Id}");
        Line(text, $"Built {Time(builtAt)}; requested by {request.RequestedByActor} at {Time(request.RequestedAt)} for: {request.Recipient}");
        Line(text, $"Reason: {request.Reason}");
        Line(text, $"Approved by {request.DecidedByActor} at {Time(request.DecidedAt)}: {request.DecisionReason}");
        Line(text, string.Empty);
        Line(text, "Every audit event on the exported recordings and on this export, from the system's hash-chained audit trail.");
        Line(text, "Machine-readable: custody/events.jsonl; proof against signed checkpoints: custody/chain/ and custody/checkpoints/ (verify-chain.py).");
        foreach (var source in sources)
        {
            Line(text, string.Empty);
            Line(text, $"Recording {source.Ordinal}: {source.OriginalName}");
            Line(text, $"  recording id {source.RecordingId}, SHA-256 {source.Sha256}, {source.Size} bytes, classification {source.Classification}");
            Line(text, $"  cases: {(source.CaseNumbers.Count == 0 ? "none" : string.Join(", ", source.CaseNumbers))}; ingested {Time(source.IngestedAt)}");
            Events(text, custody, custody.Events.Where(e => e.SubjectType == "recording" && e.SubjectId == source.RecordingId.ToString()), clock);
        }

        Line(text, string.Empty);
        Line(text, "This export:");
        Events(text, custody, custody.Events.Where(e => e.SubjectType == "export"), clock);
        Line(text, string.Empty);
        Line(text, "Checks made when the package was built:");
        foreach (var finding in custody.Findings)
        {
            Line(text, $"  - {finding}");
        }

        return text.ToString();
    }

    private static void Events(StringBuilder text, CustodyPlan custody, IEnumerable<AuditRecord> events, LocalClock clock)
    {
        foreach (var record in events)
        {
            var anchor = custody.AnchorOf.TryGetValue(record.Seq, out var checkpoint) ? $"checkpoint {checkpoint}" : "not yet covered by a checkpoint";
            Line(text, $"  seq {record.Seq}  {OccurredAt(record, clock)}  {record.Actor}  {record.Action}  [{anchor}]");
            Line(text, $"      {record.Details}");
        }
    }

    /// <summary>The event's time as the trail holds it (UTC text), shown in the display zone; text that does not read as a time is shown as it is.</summary>
    private static string OccurredAt(AuditRecord record, LocalClock clock) =>
        DateTimeOffset.TryParse(record.OccurredAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? clock.Show(at) : record.OccurredAt;

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
