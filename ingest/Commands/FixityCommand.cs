using System.CommandLine;
using System.Globalization;
using Enforcement.Media.Ingest.Hosting;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Fixity;

namespace Enforcement.Media.Ingest.Commands;

/// <summary>
/// <c>ingest fixity [--all | --sample]</c>: re-reads stored originals now and re-hashes them; every
/// finding is recorded and audited. Exit 0 when all verified, 1 on any mismatch, missing or
/// unreadable original.
/// </summary>
internal static class FixityCommand
{
    public const int ProblemsFound = 1;

    public static Command Create()
    {
        var all = new Option<bool>("--all") { Description = "Check every original in the store (the default)." };
        var sample = new Option<bool>("--sample") { Description = "Check the scheduled sample: the originals verified longest ago." };
        var command = new Command("fixity", "Re-read stored originals, recompute their SHA-256 and report any that changed or vanished.") { all, sample };
        command.TreatUnmatchedTokensAsErrors = false;
        command.Validators.Add(result =>
        {
            if (result.GetValue(all) && result.GetValue(sample))
            {
                result.AddError("Give --all or --sample, not both.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = IngestHost.Build([.. parse.UnmatchedTokens]);
            var scope = parse.GetValue(sample) ? FixityScope.Sample : FixityScope.All;
            var run = await app.Services.GetRequiredService<FixityChecker>().RunAsync(scope, cancellationToken);

            // Chain the findings now rather than leave them for a worker's sealer.
            await app.Services.GetRequiredService<AuditSealer>().SealAllAsync(cancellationToken);

            var output = Console.Out;
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"Fixity run {run.RunId} ({scope.ToString().ToLowerInvariant()}): {run.Checked} checked, {run.Verified} verified, {run.Count(FixityOutcome.Mismatch)} mismatched, {run.Count(FixityOutcome.Missing)} missing, {run.Count(FixityOutcome.Unreadable)} unreadable."));
            if (run.InOtherStores > 0)
            {
                await output.WriteLineAsync($"Not checked: {run.InOtherStores} originals catalogued in other evidence stores than this one (run fixity with each store's configuration).");
            }

            foreach (var problem in run.Problems)
            {
                var target = problem.Target;
                await output.WriteLineAsync(
                    $"{problem.Outcome.ToString().ToUpperInvariant()}  recording {target.RecordingId?.ToString() ?? "-"}  object {target.ObjectId}  {target.Location}  expected {target.Sha256}  actual {problem.ActualSha256 ?? "-"}  {problem.Reason}");
            }

            return run.HasProblems ? ProblemsFound : 0;
        });
        return command;
    }
}
