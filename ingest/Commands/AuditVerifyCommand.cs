using System.CommandLine;
using Enforcement.Media.Ingest.Hosting;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Audit.Checkpoints;
using Enforcement.Media.Storage.Audit.Verification;
using Enforcement.Media.Storage.Catalogue;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Ingest.Commands;

/// <summary>
/// <c>ingest audit verify [--from events.jsonl] [--checkpoints DIR] [--public-key PEM]…</c>: recomputes
/// the whole chain — from the catalogue, or from an export — checks it against every checkpoint, and
/// names the first bad sequence number and why. Exit 0 when the trail is intact, 1 on any problem.
/// </summary>
internal static class AuditVerifyCommand
{
    public const int Invalid = 1;

    public static Command Create()
    {
        var from = new Option<FileInfo?>("--from") { Description = "Verify an exported JSON Lines file instead of the catalogue." };
        var checkpoints = new Option<DirectoryInfo?>("--checkpoints") { Description = "Folder of checkpoint objects for --from (default: 'checkpoints' beside the file)." };
        var publicKeys = new Option<FileInfo[]>("--public-key") { Description = "A PEM public key to trust, in addition to the configured ones (repeatable).", AllowMultipleArgumentsPerToken = false };
        var actor = OperatorCommand.ActorOption();
        var command = new Command("verify", "Recompute the hash chain and check it against the signed checkpoints; report the first bad sequence number. The catalogue's verdict is recorded, and one that fails raises an alert.")
        {
            from,
            checkpoints,
            publicKeys,
            actor,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = IngestHost.Build([.. parse.UnmatchedTokens]);
            var extraKeys = new List<AuditPublicKey>();
            foreach (var keyFile in parse.GetValue(publicKeys) ?? [])
            {
                extraKeys.Add(AuditPublicKey.FromPem(await File.ReadAllTextAsync(keyFile.FullName, cancellationToken)));
            }

            AuditVerification result;
            if (parse.GetValue(from) is { } file)
            {
                var folder = parse.GetValue(checkpoints)?.FullName ?? Path.Combine(file.DirectoryName!, "checkpoints");
                var keyring = app.Services.GetRequiredService<AuditKeyring>();
                var verifier = new AuditChainVerifier([.. keyring.TrustedKeys, .. extraKeys]);
                await using var input = file.OpenRead();
                try
                {
                    result = await verifier.VerifyAsync(AuditJsonLines.ReadAsync(input, cancellationToken), await CheckpointFolder.ReadAsync(folder, cancellationToken), fromGenesis: false, cancellationToken);
                }
                catch (InvalidDataException ex)
                {
                    await Console.Error.WriteLineAsync($"INVALID: {file.Name} {ex.Message}");
                    return Invalid;
                }

                await Console.Out.WriteLineAsync($"Verified {file.FullName} against the checkpoints in {folder}.");
            }
            else
            {
                // The verdict is kept (audit_verifications): the integrity page shows the last one, and one that
                // fails raises an alert. A catalogue not yet migrated to keep it is brought up to date first.
                if (app.Services.GetRequiredService<IOptions<CatalogueOptions>>().Value.MigrateOnStart)
                {
                    await app.Services.GetRequiredService<CatalogueMigrator>().MigrateAsync(cancellationToken);
                }

                var startedAt = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
                result = await app.Services.GetRequiredService<AuditTrailVerifier>().VerifyCatalogueAsync(extraKeys, cancellationToken);
                var recorded = await app.Services.GetRequiredService<AuditVerificationStore>().RecordAsync(result, parse.GetValue(actor)!, startedAt, cancellationToken);
                await Console.Out.WriteLineAsync($"Verified the catalogue's audit trail against the checkpoints in the evidence store (recorded as verification {recorded}).");
            }

            await WriteAsync(Console.Out, result);
            return result.IsValid ? 0 : Invalid;
        });
        return command;
    }

    public static async Task WriteAsync(TextWriter output, AuditVerification result)
    {
        await output.WriteLineAsync(result.FirstSeq is null
            ? "Events: none."
            : $"Events: {result.Events} (seq {result.FirstSeq}..{result.LastSeq}).");
        await output.WriteLineAsync(result.Checkpoints.Count == 0
            ? "Checkpoints passed through: none."
            : $"Checkpoints passed through: {result.Checkpoints.Count}, the last at seq {result.Checkpoints.Max(c => c.Seq)}.");
        foreach (var note in result.Notes)
        {
            await output.WriteLineAsync($"  note: {note}");
        }

        if (result.FirstProblem is not { } first)
        {
            await output.WriteLineAsync("VALID: the chain is gapless, every hash recomputes, and it passes through every checkpoint.");
            return;
        }

        await output.WriteLineAsync($"INVALID: first bad sequence number {(first.Seq is { } seq ? seq.ToString(System.Globalization.CultureInfo.InvariantCulture) : "(none)")}: {first.Kind}: {first.Reason}");
        await output.WriteLineAsync($"All problems ({result.Problems.Count}):");
        foreach (var problem in result.Problems.OrderBy(p => p.Seq ?? long.MaxValue))
        {
            await output.WriteLineAsync($"  {problem}");
        }
    }
}
