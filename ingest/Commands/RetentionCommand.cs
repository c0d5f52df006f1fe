using System.CommandLine;
using System.Globalization;
using Enforcement.Media.Storage.Retention;
using Spectre.Console;

namespace Enforcement.Media.Ingest.Commands;

/// <summary>
/// <c>ingest retention …</c>: the records manager's and operator's tools — reconcile the store with
/// the catalogue, apply or extend retention, place and release legal holds, and decide disposition.
/// </summary>
internal static class RetentionCommand
{
    public static Command Create() => new("retention", "Retention, legal holds and disposition.")
    {
        Reconcile(),
        Apply(),
        Extend(),
        Hold(),
        Release(),
        Disposition(),
    };

    private static Command Reconcile()
    {
        var actor = OperatorCommand.ActorOption();
        var command = new Command("reconcile", "Compare every object's lock in the store with the catalogue and policy, repair what falls short, report every drift. Exit 1 if a drift could not be repaired.") { actor };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await OperatorCommand.StartAsync(cancellationToken);
            var report = await app.Services.GetRequiredService<RetentionReconciler>().ReconcileAsync(parse.GetValue(actor)!, cancellationToken);
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"checked {report.RecordingsChecked} recordings, {report.ObjectsChecked} objects: {report.Drifts.Count} drifts, {report.Unrepaired} not repairable");
            if (report.Drifts.Count > 0)
            {
                var table = new Table().AddColumns("recording", "object", "drift", "repaired", "detail");
                foreach (var drift in report.Drifts)
                {
                    table.AddRow(drift.RecordingId.ToString(), Markup.Escape(drift.ObjectKey), drift.Kind, drift.Repaired ? "[green]yes[/]" : "[red]no[/]", Markup.Escape(drift.Detail));
                }

                AnsiConsole.Write(table);
            }

            return report.Unrepaired > 0 ? 1 : 0;
        });
        return command;
    }

    private static Command Apply()
    {
        var recording = RecordingIds.Argument();
        var actor = OperatorCommand.ActorOption();
        var command = new Command("apply", "Apply the retention policy to one recording's objects in the store now.") { recording, actor };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await OperatorCommand.StartAsync(cancellationToken);
            if (await RecordingIds.ResolveAsync(app.Services, parse.GetValue(recording)!, cancellationToken) is not { } id)
            {
                return 1;
            }

            var outcome = await app.Services.GetRequiredService<RetentionEnforcer>().ApplyAsync(id, parse.GetValue(actor)!, cancellationToken);
            return PrintPlan(outcome);
        });
        return command;
    }

    private static Command Extend()
    {
        var recording = RecordingIds.Argument();
        var until = new Option<DateTimeOffset>("--until") { Required = true, Description = "Keep at least until this time (ISO 8601)." };
        var reason = new Option<string>("--reason") { Required = true };
        var actor = OperatorCommand.ActorOption();
        var command = new Command("extend", "Keep a recording longer. A shorter date is refused and audited: periods are never shortened.") { recording, until, reason, actor };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await OperatorCommand.StartAsync(cancellationToken);
            if (await RecordingIds.ResolveAsync(app.Services, parse.GetValue(recording)!, cancellationToken) is not { } id)
            {
                return 1;
            }

            try
            {
                return PrintPlan(await app.Services.GetRequiredService<RetentionEnforcer>().RequestRetainUntilAsync(
                    id, parse.GetValue(until), parse.GetValue(actor)!, parse.GetValue(reason)!, cancellationToken));
            }
            catch (RetentionShorteningException ex)
            {
                await Console.Error.WriteLineAsync($"refused: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    private static Command Hold()
    {
        var recording = RecordingIds.Argument();
        var reason = new Option<string>("--reason") { Required = true };
        var actor = OperatorCommand.ActorOption();
        var command = new Command("hold", "Place a legal hold on a recording (it beats every retention period).") { recording, reason, actor };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await OperatorCommand.StartAsync(cancellationToken);
            if (await RecordingIds.ResolveAsync(app.Services, parse.GetValue(recording)!, cancellationToken) is not { } recordingId)
            {
                return 1;
            }

            var id = await app.Services.GetRequiredService<LegalHoldService>().PlaceAsync(recordingId, parse.GetValue(actor)!, parse.GetValue(reason)!, cancellationToken);
            await app.Services.GetRequiredService<RetentionEnforcer>().ApplyAsync(recordingId, parse.GetValue(actor)!, cancellationToken);
            await Console.Out.WriteLineAsync($"legal hold {id} placed and applied to the store");
            return 0;
        });
        return command;
    }

    private static Command Release()
    {
        var hold = new Argument<Guid>("hold-id") { Description = "The hold's whole id, as 'retention hold' printed it (holds have no short id)." };
        var reason = new Option<string>("--reason") { Required = true };
        var actor = OperatorCommand.ActorOption();
        var command = new Command("release", "Release a legal hold; the store follows through the retention job.") { hold, reason, actor };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await OperatorCommand.StartAsync(cancellationToken);
            var released = await app.Services.GetRequiredService<LegalHoldService>().ReleaseAsync(parse.GetValue(hold), parse.GetValue(actor)!, parse.GetValue(reason)!, cancellationToken);
            await Console.Out.WriteLineAsync(released ? "released" : "no such active hold");
            return released ? 0 : 1;
        });
        return command;
    }

    private static Command Disposition()
    {
        var list = new Command("list", "Recordings whose period has ended, waiting for a proposal or for a second records manager (refreshes the queue first).");
        list.SetAction(async (_, cancellationToken) =>
        {
            await using var app = await OperatorCommand.StartAsync(cancellationToken);
            var disposition = app.Services.GetRequiredService<DispositionService>();
            await disposition.RefreshQueueAsync(cancellationToken);
            var table = new Table().AddColumns("entry", "recording", "sha256", "name", "class", "retained until", "queued", "state", "proposed by");
            foreach (var c in await disposition.PendingAsync(cancellationToken))
            {
                table.AddRow(
                    c.QueueId.ToString(), c.RecordingId.ToString(), c.Sha256, Markup.Escape(c.OriginalName), c.RetentionClass, $"{c.RetainedUntil:u}", $"{c.QueuedAt:u}", c.State,
                    Markup.Escape(c.ProposedBy is null ? string.Empty : $"{c.ProposedBy} {c.ProposedAt:u}: {c.ProposalReason}"));
            }

            AnsiConsole.Write(table);
            return 0;
        });

        var recording = RecordingIds.Argument();
        var reason = new Option<string>("--reason") { Required = true };
        var actor = OperatorCommand.ActorOption();
        var propose = new Command("propose", "Propose disposing of one recording (records manager); a second records manager approves or refuses. Refused, and audited, when it is not eligible.") { recording, reason, actor };
        propose.SetAction((parse, cancellationToken) => DecideAsync(
            async services => await RecordingIds.ResolveAsync(services, parse.GetValue(recording)!, cancellationToken) is { } id
                ? await services.GetRequiredService<DispositionService>().ProposeAsync(id, parse.GetValue(actor)!, parse.GetValue(reason)!, cancellationToken)
                : null,
            "proposed",
            cancellationToken));

        var entry = new Argument<Guid>("entry-id") { Description = "The queue entry of the proposal (see list)." };
        var approve = new Command("approve", "Approve a proposal as the second records manager (never the one who proposed it): the recording is disposed of at once. Refused, and audited, when it is not eligible or the store still locks it.") { entry, reason, actor };
        approve.SetAction((parse, cancellationToken) => DecideAsync(services => services.GetRequiredService<DispositionService>().ApproveAsync(parse.GetValue(entry), parse.GetValue(actor)!, parse.GetValue(reason)!, cancellationToken), "disposed", cancellationToken));

        var refuse = new Command("refuse", "Refuse a proposal: nothing is deleted.") { entry, reason, actor };
        refuse.SetAction((parse, cancellationToken) => DecideAsync(services => services.GetRequiredService<DispositionService>().RefuseProposalAsync(parse.GetValue(entry), parse.GetValue(actor)!, parse.GetValue(reason)!, cancellationToken), "refused", cancellationToken));
        return new Command("disposition", "The disposition queue and the two records managers' decisions.") { list, propose, approve, refuse };
    }

    /// <summary>
    /// Runs one disposition step and prints its outcome; exit 0 when it came out as <paramref name="expected"/>.
    /// A step gives null when what it names is not there (a short id that named no recording has said why already).
    /// </summary>
    private static async Task<int> DecideAsync(Func<IServiceProvider, Task<DispositionResult?>> step, string expected, CancellationToken cancellationToken)
    {
        await using var app = await OperatorCommand.StartAsync(cancellationToken);
        try
        {
            if (await step(app.Services) is not { } result)
            {
                await Console.Error.WriteLineAsync("no such queue entry or recording");
                return 1;
            }

            await Console.Out.WriteLineAsync($"{result.Outcome}: {result.Detail}{(result.EntryId is { } id ? $" (entry {id})" : string.Empty)}");
            return result.Outcome == expected ? 0 : 1;
        }
        catch (DispositionDecisionException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 1;
        }
    }

    private static int PrintPlan(RetentionOutcome? outcome)
    {
        if (outcome is null)
        {
            Console.Error.WriteLine("no such recording (or it was disposed of)");
            return 1;
        }

        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"{outcome.Plan.Class} until {outcome.Plan.RetainUntil:u}, legal hold {(outcome.Plan.LegalHold ? "on" : "off")}; {outcome.ObjectsChanged} object(s) changed in the store");
        foreach (var reason in outcome.Plan.Reasons)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  · {reason}");
        }

        return 0;
    }
}
