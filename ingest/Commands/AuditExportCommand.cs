using System.CommandLine;
using Enforcement.Media.Ingest.Hosting;
using Enforcement.Media.Storage.Audit;

namespace Enforcement.Media.Ingest.Commands;

/// <summary>
/// <c>ingest audit export --out events.jsonl [--from-seq N] [--to-seq M]</c>: the chain as JSON Lines,
/// with the locked checkpoint objects in <c>checkpoints/</c> beside it, for verification elsewhere.
/// </summary>
internal static class AuditExportCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo>("--out") { Description = "The JSON Lines file to write.", Required = true };
        var fromSeq = new Option<long>("--from-seq") { Description = "First sequence number (default 1).", DefaultValueFactory = _ => 1 };
        var toSeq = new Option<long?>("--to-seq") { Description = "Last sequence number (default: the head)." };
        var command = new Command("export", "Write the audit chain as JSON Lines, with the checkpoints beside it.") { output, fromSeq, toSeq };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = IngestHost.Build([.. parse.UnmatchedTokens]);
            var export = await app.Services.GetRequiredService<AuditTrailVerifier>()
                .ExportAsync(parse.GetValue(output)!.FullName, parse.GetValue(fromSeq), parse.GetValue(toSeq), cancellationToken);
            await Console.Out.WriteLineAsync($"Wrote {export.Events} events to {export.EventsPath} and {export.Checkpoints} checkpoints to {export.CheckpointFolder}.");
            if (export.PublicKeyPath is not null)
            {
                await Console.Out.WriteLineAsync($"The signing key's public half is in {export.PublicKeyPath}; compare its key id with the published one before trusting it.");
            }

            return 0;
        });
        return command;
    }
}
