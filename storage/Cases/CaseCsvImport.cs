using System.Globalization;
using System.Text.RegularExpressions;
using Enforcement.Media.Storage.Hosting;

namespace Enforcement.Media.Storage.Cases;

/// <summary>
/// Bulk import of cases from the case system's CSV export: one row per activity (a case without
/// activities is one row with the activity columns empty), header row required. Good rows import;
/// bad rows are reported by line and field and skip only themselves — or their whole case when the
/// case-level data is what is wrong. Timestamps need an explicit offset (<c>2026-11-20T09:00:00+08:00</c>);
/// <c>flags</c> and <c>officers</c> are separated by semicolons.
/// </summary>
public sealed partial class CaseCsvImport(CaseService cases)
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "case_number", "unit_code", "subject", "enforcement_type", "status", "opened_at", "closed_at", "archived_at", "flags",
        "activity_id", "stage", "activity_type", "starts_at", "ends_at", "place", "officers",
    ];

    private static readonly string[] RequiredColumns = ["case_number", "status", "opened_at"];

    private static readonly string[] CaseColumns = ["unit_code", "subject", "enforcement_type", "status", "opened_at", "closed_at", "archived_at", "flags"];

    public async Task<CsvImportReport> ImportAsync(TextReader csv, string actor, CancellationToken cancellationToken)
    {
        var problems = new List<InputProblem>();
        Dictionary<string, int>? header = null;
        var byCase = new Dictionary<string, List<Row>>(StringComparer.Ordinal);
        var order = new List<string>();
        try
        {
            await foreach (var record in CsvRecords.ReadAsync(csv, cancellationToken))
            {
                if (header is null)
                {
                    header = ReadHeader(record, problems);
                    if (header is null)
                    {
                        return new CsvImportReport(0, 0, 0, 0, problems);
                    }

                    continue;
                }

                if (ParseRow(record, header, problems) is { } row)
                {
                    if (!byCase.TryGetValue(row.CaseNumber, out var rows))
                    {
                        byCase[row.CaseNumber] = rows = [];
                        order.Add(row.CaseNumber);
                    }

                    rows.Add(row);
                }
            }
        }
        catch (FormatException ex)
        {
            problems.Add(new InputProblem("file", ex.Message));
        }

        var (created, updated, unchanged, imported) = (0, 0, 0, 0);
        foreach (var caseNumber in order)
        {
            var rows = ConsistentRows(byCase[caseNumber], problems);
            var first = rows[0];
            var activityRows = rows.Where(r => r.Activity is not null).ToList();
            var submission = await cases.SubmitAsync(first.Case with { Activities = [.. activityRows.Select(r => r.Activity!)] }, actor, cancellationToken, first.Line);
            if (submission.Outcome == CaseSubmissionOutcome.Rejected && BadActivityRows(submission.Problems, activityRows) is { Count: > 0 } bad
                && submission.Problems.Where(p => p.IsError).All(p => ActivityIndex().IsMatch(p.Field)))
            {
                // Only some activity rows are wrong: report those, import the case with the rest.
                problems.AddRange(submission.Problems.Where(p => p.IsError).Select(p => p with { Line = LineOf(p, first.Line, activityRows) }));
                activityRows = [.. activityRows.Except(bad)];
                rows = [.. rows.Except(bad)];
                submission = await cases.SubmitAsync(first.Case with { Activities = [.. activityRows.Select(r => r.Activity!)] }, actor, cancellationToken, first.Line);
            }

            foreach (var problem in submission.Problems)
            {
                problems.Add(problem with { Line = LineOf(problem, first.Line, activityRows) });
            }

            switch (submission.Outcome)
            {
                case CaseSubmissionOutcome.Created: created++; imported += rows.Count; break;
                case CaseSubmissionOutcome.Updated: updated++; imported += rows.Count; break;
                case CaseSubmissionOutcome.Unchanged: unchanged++; imported += rows.Count; break;
                default: break;
            }
        }

        return new CsvImportReport(created, updated, unchanged, imported, [.. problems.OrderBy(p => p.Line)]);
    }

    /// <summary>Rows of one case must agree on the case's own fields: a row that does not is refused, not merged.</summary>
    private static List<Row> ConsistentRows(List<Row> rows, List<InputProblem> problems)
    {
        var first = rows[0];
        var consistent = new List<Row> { first };
        foreach (var row in rows.Skip(1))
        {
            var differing = CaseColumns.Where(c => row.CaseFields[c] != first.CaseFields[c]).ToList();
            if (differing.Count == 0)
            {
                consistent.Add(row);
            }
            else
            {
                problems.Add(new InputProblem(
                    differing[0],
                    $"case {row.CaseNumber} appears again with different data ({string.Join(", ", differing)} differ from line {first.Line}); the row is not imported",
                    true,
                    row.Line));
            }
        }

        return consistent;
    }

    private static List<Row> BadActivityRows(IReadOnlyList<InputProblem> found, List<Row> activityRows) =>
        [.. found.Where(p => p.IsError)
            .Select(p => ActivityIndex().Match(p.Field))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .Where(i => i < activityRows.Count)
            .Distinct()
            .Select(i => activityRows[i])];

    private static int LineOf(InputProblem problem, int caseLine, List<Row> activityRows)
    {
        var match = ActivityIndex().Match(problem.Field);
        return match.Success && int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) is var index && index < activityRows.Count
            ? activityRows[index].Line
            : caseLine;
    }

    private static Dictionary<string, int>? ReadHeader(CsvRecord record, List<InputProblem> problems)
    {
        var header = record.Fields.Select((name, index) => (Name: name.Trim().ToLowerInvariant(), index))
            .GroupBy(f => f.Name).ToDictionary(g => g.Key, g => g.First().index, StringComparer.Ordinal);
        var missing = RequiredColumns.Where(c => !header.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            problems.Add(new InputProblem("header", $"missing column(s) {string.Join(", ", missing)}; expected {string.Join(",", Columns)}", true, record.Line));
            return null;
        }

        return header;
    }

    private static Row? ParseRow(CsvRecord record, Dictionary<string, int> header, List<InputProblem> problems)
    {
        var before = problems.Count;

        // Refused here, by line and column, like any bad cell: PostgreSQL cannot store a NUL, and the
        // case system has no business sending other control characters either (TextInput says why).
        foreach (var (column, i) in header)
        {
            if (i < record.Fields.Count && TextInput.Refusal(record.Fields[i]) is { } refusal)
            {
                problems.Add(new InputProblem(column, refusal, true, record.Line));
            }
        }

        string? Text(string column) => header.TryGetValue(column, out var i) && i < record.Fields.Count && record.Fields[i].Trim() is { Length: > 0 } value ? value : null;
        DateTimeOffset? Time(string column, bool required)
        {
            var text = Text(column);
            if (text is null)
            {
                if (required)
                {
                    problems.Add(new InputProblem(column, "is required", true, record.Line));
                }

                return null;
            }

            if (!ExplicitOffset().IsMatch(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            {
                problems.Add(new InputProblem(column, $"'{text}' is not a timestamp with an explicit offset, e.g. 2026-11-20T09:00:00+08:00", true, record.Line));
                return null;
            }

            return value;
        }

        IReadOnlyList<string> List(string column) => Text(column)?.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];

        var caseNumber = Text("case_number");
        if (caseNumber is null)
        {
            problems.Add(new InputProblem("case_number", "is required", true, record.Line));
        }

        var opened = Time("opened_at", required: true);
        var closed = Time("closed_at", required: false);
        var archived = Time("archived_at", required: false);
        ActivityInput? activity = null;
        if (Text("activity_id") is { } activityId)
        {
            var starts = Time("starts_at", required: true);
            var ends = Time("ends_at", required: true);
            if (starts is { } s && ends is { } e)
            {
                activity = new ActivityInput(activityId, Text("stage") ?? string.Empty, Text("activity_type") ?? string.Empty, s, e, Text("place"), List("officers"));
            }
        }

        if (problems.Count > before || caseNumber is null || opened is null)
        {
            return null;
        }

        var caseInput = new CaseInput(caseNumber, Text("unit_code"), Text("subject"), Text("enforcement_type"), Text("status") ?? string.Empty, opened.Value, closed, archived, List("flags"), []);
        var caseFields = CaseColumns.ToDictionary(c => c, c => Text(c), StringComparer.Ordinal);
        return new Row(record.Line, caseNumber, caseInput, caseFields, activity);
    }

    [GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})$")]
    private static partial Regex ExplicitOffset();

    [GeneratedRegex(@"^activities\[(\d+)\]")]
    private static partial Regex ActivityIndex();

    private sealed record Row(int Line, string CaseNumber, CaseInput Case, Dictionary<string, string?> CaseFields, ActivityInput? Activity);
}
