using System.Diagnostics.Metrics;

namespace Enforcement.Media.Storage.Recordings;

/// <summary>
/// What deliveries to the archive came to, by outcome and by how they arrived: files and bytes. Both
/// labels are small fixed sets; the recording and the file name go in the logs, never here.
/// </summary>
public sealed class ArchiveMetrics
{
    public const string MeterName = "Enforcement.Media.Ingest";

    public const string Stored = "stored";
    public const string Deduplicated = "deduplicated";
    public const string Quarantined = "quarantined";
    public const string Failed = "failed";

    private readonly Counter<long> _files;
    private readonly Counter<long> _bytes;

    public ArchiveMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _files = meter.CreateCounter<long>(
            "enforcement_media.ingest.files", "{file}", "Files delivered to the archive, by outcome (stored, deduplicated, quarantined, failed) and source (dock, station, upload, command).");
        _bytes = meter.CreateCounter<long>(
            "enforcement_media.ingest.bytes", "By", "Bytes of the files archived, by outcome and source; a failed delivery adds none.");
    }

    /// <summary>
    /// A quarantined delivery is counted as such whether its content was new or already held: what matters
    /// is that a station's hash did not match.
    /// </summary>
    public void Archived(SourceKind source, ArchivedRecording archived)
    {
        var outcome = archived.QuarantineReason is not null ? Quarantined
            : archived.Outcome == ArchiveOutcome.AlreadyHeld ? Deduplicated
            : Stored;
        var tags = Tags(outcome, source);
        _files.Add(1, tags.Outcome, tags.Source);
        _bytes.Add(archived.Size, tags.Outcome, tags.Source);
    }

    public void Failure(SourceKind source)
    {
        var tags = Tags(Failed, source);
        _files.Add(1, tags.Outcome, tags.Source);
    }

    private static (KeyValuePair<string, object?> Outcome, KeyValuePair<string, object?> Source) Tags(string outcome, SourceKind source) =>
        (new("outcome", outcome), new("source", Name(source)));

    /// <summary>Constant strings, not <c>ToString()</c>: no allocation per measurement.</summary>
    private static string Name(SourceKind source) => source switch
    {
        SourceKind.Dock => "dock",
        SourceKind.Station => "station",
        SourceKind.Upload => "upload",
        SourceKind.Command => "command",
        _ => "other",
    };
}
