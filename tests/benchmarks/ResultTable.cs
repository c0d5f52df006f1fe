using System.Globalization;
using System.Text;

namespace Enforcement.Media.Benchmarks;

/// <summary>
/// The rounds of a throughput benchmark as one Markdown table: per row the median MB/s and the
/// median ratio to its baseline, each with the range over the rounds. A ratio is taken within a
/// round (pipeline and baseline ran back to back), never between medians of different rounds.
/// </summary>
internal sealed class ResultTable(long bytes)
{
    private const double Mega = 1_000_000d;

    private readonly List<Row> _rows = [];

    public void Add(string path, string store, TimeSpan elapsed, string? baseline, TimeSpan? baselineElapsed)
    {
        var row = RowFor(path, store, baseline);
        row.Rates.Add(Rate(elapsed));
        if (baselineElapsed is { } b)
        {
            row.BaselineRates.Add(Rate(b));
            row.Ratios.Add(b.TotalSeconds / elapsed.TotalSeconds);
        }
    }

    /// <summary>A duration rather than a rate (e.g. a process's start-up).</summary>
    public void AddSeconds(string what, TimeSpan elapsed) => RowFor(what, "", null).Seconds.Add(elapsed.TotalSeconds);

    public string ToMarkdown()
    {
        var text = new StringBuilder()
            .AppendLine("| path | store | MB/s | baseline | baseline MB/s | ratio |")
            .AppendLine("|---|---|---|---|---|---|");
        foreach (var row in _rows)
        {
            if (row.Seconds.Count > 0)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Path} | | {Spread(row.Seconds, "F2")} s | | | |");
                continue;
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Path} | {row.Store} | {Spread(row.Rates, "N0")} | {row.Baseline} | {Spread(row.BaselineRates, "N0")} | {Spread(row.Ratios, "F2")} |");
        }

        return text.ToString();
    }

    private double Rate(TimeSpan elapsed) => bytes / Mega / elapsed.TotalSeconds;

    private Row RowFor(string path, string store, string? baseline)
    {
        var row = _rows.FirstOrDefault(r => r.Path == path && r.Store == store && r.Baseline == baseline);
        if (row is null)
        {
            row = new Row(path, store, baseline);
            _rows.Add(row);
        }

        return row;
    }

    /// <summary>"median (min–max)", or the one value when there was one round.</summary>
    private static string Spread(List<double> values, string format)
    {
        if (values.Count == 0)
        {
            return "";
        }

        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        var text = median.ToString(format, CultureInfo.InvariantCulture);
        return sorted.Count == 1
            ? text
            : $"{text} ({sorted[0].ToString(format, CultureInfo.InvariantCulture)}–{sorted[^1].ToString(format, CultureInfo.InvariantCulture)})";
    }

    private sealed record Row(string Path, string Store, string? Baseline)
    {
        public List<double> Rates { get; } = [];

        public List<double> BaselineRates { get; } = [];

        public List<double> Ratios { get; } = [];

        public List<double> Seconds { get; } = [];
    }
}
