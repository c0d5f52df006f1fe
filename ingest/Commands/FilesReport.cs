using System.Globalization;
using Enforcement.Media.Storage.Recordings;
using Spectre.Console;

namespace Enforcement.Media.Ingest.Commands;

/// <summary><c>ingest files</c>' output: a progress bar per file (bytes, MB/s, ETA) and the summary table.</summary>
internal static class FilesReport
{
    private const int MaxNameWidth = 48;

    public static Progress Progress(IAnsiConsole console) => console.Progress()
        .AutoClear(false)
        .HideCompleted(false)
        .Columns(
            new TaskDescriptionColumn { Alignment = Justify.Left },
            new ProgressBarColumn(),
            new PercentageColumn(),
            new DownloadedColumn { Culture = CultureInfo.InvariantCulture },
            new TransferSpeedColumn { Culture = CultureInfo.InvariantCulture },
            new RemainingTimeColumn());

    /// <summary>The bar's label: the file name, shortened, with markup characters escaped (names may hold '[').</summary>
    public static string Label(string path)
    {
        var name = System.IO.Path.GetFileName(path);
        if (name.Length > MaxNameWidth)
        {
            name = string.Concat(name.AsSpan(0, MaxNameWidth - 1), "…");
        }

        return Markup.Escape(name);
    }

    /// <summary>Feeds the archive's byte count to a bar (Progress&lt;T&gt; would post updates out of order).</summary>
    public static IProgress<long> Reporter(ProgressTask task) => new BarReporter(task);

    public static Table Summary(IReadOnlyList<FileResult> results)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("File", "SHA-256", "Recording", "Outcome");
        foreach (var result in results)
        {
            table.AddRow(
                new Text(result.Path),
                new Text(result.Archived?.Sha256.Hex ?? "-"),
                new Text(result.Archived?.RecordingId.ToString() ?? "-"),
                new Text(Outcome(result), Style(result)));
        }

        return table;
    }

    public static string Totals(IReadOnlyList<FileResult> results) => string.Create(
        CultureInfo.InvariantCulture,
        $"{results.Count(r => r.Archived?.Outcome == ArchiveOutcome.Stored)} stored, {results.Count(r => r.Archived?.Outcome == ArchiveOutcome.AlreadyHeld)} already held, {results.Count(r => r.Quarantined)} quarantined, {results.Count(r => r.Failed && !r.Interrupted)} failed{(results.Any(r => r.Interrupted) ? $", {results.Count(r => r.Interrupted)} not done (interrupted)" : "")}");

    private static string Outcome(FileResult result)
    {
        var outcome = result switch
        {
            { Interrupted: true } => "not done: interrupted before it was stored; run the command again",
            { Archived: null } => $"failed: {result.Failure}",
            { Archived.QuarantineReason: { } reason } => $"QUARANTINED ({(result.Archived.Outcome == ArchiveOutcome.Stored ? "stored" : "already held")}): {reason}",
            { Archived.Outcome: ArchiveOutcome.AlreadyHeld } => "already held (source added)",
            _ => "stored",
        };
        return result.Notes.Count == 0 ? outcome : $"{outcome}; sidecar: {string.Join("; ", result.Notes)}";
    }

    private static Style Style(FileResult result) =>
        result.Failed || result.Quarantined ? new Style(Color.Red) : result.Notes.Count > 0 ? new Style(Color.Yellow) : Spectre.Console.Style.Plain;

    private sealed class BarReporter(ProgressTask task) : IProgress<long>
    {
        public void Report(long value) => task.Value = value;
    }
}
