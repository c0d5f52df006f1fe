using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Enforcement.Media.Storage.Cases;
using Spectre.Console;

namespace Enforcement.Media.Ingest.Commands;

/// <summary><c>ingest cases import|report</c>: bulk import from the case system's CSV, and the completeness report.</summary>
internal static class CasesCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create() => new("cases", "Cases from the agency's case system: CSV import and completeness reports.")
    {
        Import(),
        Report(),
    };

    private static Command Import()
    {
        var file = new Argument<FileInfo>("csv") { Description = $"CSV with a header row: {string.Join(",", CaseCsvImport.Columns)}" };
        var actor = OperatorCommand.ActorOption();
        var command = new Command("import", "Import cases and activities; good rows import, bad rows are reported by line. Exit 1 if any row was refused.") { file, actor };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await OperatorCommand.StartAsync(cancellationToken);
            using var reader = new StreamReader(parse.GetValue(file)!.FullName);
            var report = await app.Services.GetRequiredService<CaseCsvImport>().ImportAsync(reader, parse.GetValue(actor)!, cancellationToken);
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"cases created {report.CasesCreated}, updated {report.CasesUpdated}, unchanged {report.CasesUnchanged}; rows imported {report.RowsImported}");
            if (report.Problems.Count > 0)
            {
                var table = new Table().AddColumns("line", "field", "severity", "problem");
                foreach (var problem in report.Problems)
                {
                    table.AddRow(Markup.Escape(problem.Line?.ToString(CultureInfo.InvariantCulture) ?? "-"), Markup.Escape(problem.Field), problem.IsError ? "[red]error[/]" : "[yellow]warning[/]", Markup.Escape(problem.Message));
                }

                AnsiConsole.Write(table);
            }

            return report.HasErrors ? 1 : 0;
        });
        return command;
    }

    private static Command Report()
    {
        var caseNumber = new Argument<string>("case-number");
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("report", "The case's footage stage by stage, coverage of full-recording activities and every gap. Exit 1 when incomplete.") { caseNumber, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await OperatorCommand.StartAsync(cancellationToken);
            var report = await app.Services.GetRequiredService<CompletenessService>().ReportAsync(parse.GetValue(caseNumber)!, cancellationToken);
            if (parse.GetValue(json))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(report, Json));
            }
            else
            {
                Print(report);
            }

            return report.Complete ? 0 : 1;
        });
        return command;
    }

    private static void Print(CompletenessReport report)
    {
        // Interpolated values are escaped, so the status markup is appended as markup, not as a value.
        AnsiConsole.MarkupInterpolated(CultureInfo.InvariantCulture, $"[bold]{report.CaseNumber}[/] ({report.Status}) — ");
        AnsiConsole.MarkupLine(report.Complete ? "[green]complete[/]" : "[red]incomplete[/]");
        var table = new Table().AddColumns("stage", "activity", "window (UTC)", "full?", "coverage", "recordings", "gaps (UTC)");
        foreach (var activity in report.Activities)
        {
            table.AddRow(
                Markup.Escape(activity.Stage),
                Markup.Escape($"{activity.Type} {activity.ExternalId}"),
                Markup.Escape($"{activity.StartsAt:yyyy-MM-dd HH:mm:ss}–{activity.EndsAt:HH:mm:ss}"),
                activity.RequiresFullRecording ? "yes" : "no",
                Markup.Escape($"{activity.CoverageRatio:P1}"),
                Markup.Escape(string.Join("\n", activity.Recordings.Select(r => r.OriginalName))),
                Markup.Escape(string.Join("\n", activity.Gaps.Select(g => $"{g.From:HH:mm:ss}–{g.To:HH:mm:ss} ({g.Seconds:F0} s): {g.Reason}"))));
        }

        AnsiConsole.Write(table);
    }
}
