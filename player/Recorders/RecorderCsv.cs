using System.Globalization;
using CsvHelper;
using Enforcement.Media.Player.Display;
using Enforcement.Media.Player.Ledger;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Recorders;

namespace Enforcement.Media.Player.Recorders;

/// <summary>
/// The register as CSV. Import reads a header row naming at least <see cref="Columns"/> (any order, any
/// case; other columns are ignored, so an export imports back as it is), then one recorder a row. Export
/// writes those columns and what the deliveries say, the way the ledger is written (every cell quoted, a
/// cell a spreadsheet would take for a formula escaped with a leading apostrophe); import takes that
/// apostrophe off again, so a note that starts with <c>=</c> survives the round trip as it was typed.
/// </summary>
public static class RecorderCsv
{
    /// <summary>The register's own columns: what a manager enters, what an import must name.</summary>
    public static readonly IReadOnlyList<string> Columns = ["serial", "model", "unit", "status", "notes"];

    /// <summary>What the export adds, derived from the recorder's deliveries and history; an import ignores them.</summary>
    public static readonly IReadOnlyList<string> DerivedColumns =
        ["current_officer", "current_since", "recordings", "first_docked_at", "last_docked_at", "last_clock_offset_seconds", "clock_measured_at"];

    /// <summary>
    /// The entries of the file by line, each checked on its own (<see cref="RecorderInput.Read"/>); every
    /// problem, the file's own (no header, broken quoting, too many rows) included, goes to <paramref name="problems"/>.
    /// </summary>
    public static async Task<IReadOnlyList<(int Line, RecorderInput Input)>> ReadAsync(TextReader csv, List<RecorderProblem> problems, CancellationToken cancellationToken)
    {
        var entries = new List<(int Line, RecorderInput Input)>();
        Dictionary<string, int>? header = null;
        try
        {
            await foreach (var record in CsvRecords.ReadAsync(csv, cancellationToken))
            {
                if (header is null)
                {
                    header = record.Fields.Select((name, index) => (Name: name.Trim().ToLowerInvariant(), index))
                        .GroupBy(f => f.Name).ToDictionary(g => g.Key, g => g.First().index, StringComparer.Ordinal);
                    if (Columns.Where(c => !header.ContainsKey(c)).ToList() is { Count: > 0 } missing)
                    {
                        problems.Add(new RecorderProblem(record.Line, "header", $"missing column(s) {string.Join(", ", missing)}; the header names {string.Join(",", Columns)}"));
                        return [];
                    }

                    continue;
                }

                if (entries.Count + 1 > RecorderStore.MaxEntries)
                {
                    problems.Add(new RecorderProblem(record.Line, "file", $"a file holds at most {RecorderStore.MaxEntries} recorders; split it"));
                    return [];
                }

                string? Cell(string column) => header[column] < record.Fields.Count ? Unescape(record.Fields[header[column]]) : null;
                if (RecorderInput.Read(Cell("serial"), Cell("model"), Cell("unit"), Cell("status"), Cell("notes"), record.Line, problems) is { } input)
                {
                    entries.Add((record.Line, input));
                }
            }
        }
        catch (FormatException ex)
        {
            problems.Add(new RecorderProblem(0, "file", ex.Message));
        }

        if (header is null && problems.Count == 0)
        {
            problems.Add(new RecorderProblem(0, "header", $"the file is empty; the header names {string.Join(",", Columns)}"));
        }

        return entries;
    }

    public static string Write(IEnumerable<RecorderRecord> recorders, LocalClock clock)
    {
        string Time(DateTimeOffset? value) => value is { } time ? clock.Show(time) : string.Empty;
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, LedgerCsv.Options, leaveOpen: true))
        {
            csv.WriteRecord([.. Columns, .. DerivedColumns]);
            foreach (var r in recorders)
            {
                csv.WriteRecord([
                    r.Serial,
                    r.Model ?? string.Empty,
                    r.UnitCode,
                    r.Status,
                    r.Notes ?? string.Empty,
                    r.CurrentOfficerId ?? string.Empty,
                    Time(r.CurrentSince),
                    r.Recordings.ToString(CultureInfo.InvariantCulture),
                    Time(r.FirstDockedAt),
                    Time(r.LastDockedAt),
                    r.LastClockOffsetSeconds?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                    Time(r.ClockMeasuredAt),
                ]);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// A cell as typed before the export escaped it: <see cref="LedgerCsv.Options"/> puts an apostrophe before
    /// a leading <c>= + - @</c>, tab or carriage return, and this takes exactly that apostrophe away.
    /// </summary>
    private static string Unescape(string cell) =>
        cell.Length > 1 && cell[0] == LedgerCsv.Options.InjectionEscape && LedgerCsv.Options.InjectionCharacters.Contains(cell[1], StringComparison.Ordinal) ? cell[1..] : cell;
}
