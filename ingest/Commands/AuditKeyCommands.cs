using System.CommandLine;
using Enforcement.Media.Ingest.Hosting;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Audit.Checkpoints;

namespace Enforcement.Media.Ingest.Commands;

/// <summary><c>ingest audit checkpoint|public-key|keygen</c>: anchor the head now, publish the key, make a key.</summary>
internal static class AuditKeyCommands
{
    /// <summary><c>ingest audit checkpoint</c>: seals waiting events and signs a checkpoint of the head now.</summary>
    public static Command Checkpoint()
    {
        var command = new Command("checkpoint", "Chain any waiting events and write a signed checkpoint of the head now.") { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = IngestHost.Build([.. parse.UnmatchedTokens]);
            if (app.Services.GetRequiredService<AuditKeyring>().SigningKey is null)
            {
                await Console.Error.WriteLineAsync($"error: no signing key is configured ({AuditOptions.Section}:SigningKeyPath).");
                return 1;
            }

            await app.Services.GetRequiredService<AuditSealer>().SealAllAsync(cancellationToken);
            var checkpoint = await app.Services.GetRequiredService<AuditCheckpointer>().CheckpointIfDueAsync(force: true, cancellationToken);
            await Console.Out.WriteLineAsync(checkpoint is null
                ? "The head is already covered by a checkpoint (or the chain is empty)."
                : $"Checkpoint at seq {checkpoint.Document.Statement.Seq} ({checkpoint.Document.Statement.Hash}) locked in the store as {checkpoint.StoredObject.Location}.");
            return 0;
        });
        return command;
    }

    /// <summary><c>ingest audit public-key</c>: prints the signing key's public half (PEM) and its key id, to publish.</summary>
    public static Command PublicKey()
    {
        var command = new Command("public-key", "Print the checkpoint signing key's public half (PEM) and key id, for verifiers.") { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = IngestHost.Build([.. parse.UnmatchedTokens]);
            var keyring = app.Services.GetRequiredService<AuditKeyring>();
            if (keyring.TrustedKeys.Count == 0)
            {
                await Console.Error.WriteLineAsync($"error: no audit key is configured ({AuditOptions.Section}:SigningKeyPath).");
                return 1;
            }

            foreach (var key in keyring.TrustedKeys)
            {
                await Console.Out.WriteLineAsync($"# key id {key.KeyId}{(key.KeyId == keyring.SigningKey?.KeyId ? " (signing now)" : string.Empty)}");
                await Console.Out.WriteAsync(key.Pem);
            }

            return 0;
        });
        return command;
    }

    /// <summary><c>ingest audit keygen --out key.pem</c>: a new ECDSA P-256 signing key (PKCS#8 PEM, mode 0600). Never overwrites.</summary>
    public static Command Keygen()
    {
        var output = new Option<FileInfo>("--out") { Description = "Where to write the private key (refused if it exists).", Required = true };
        var command = new Command("keygen", "Generate a new ECDSA P-256 checkpoint signing key.") { output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(output)!;
            if (file.Exists)
            {
                await Console.Error.WriteLineAsync($"error: {file.FullName} exists; a signing key is never overwritten.");
                return 1;
            }

            using var key = AuditSigningKey.Generate();
            Directory.CreateDirectory(file.DirectoryName!);
            await using (var stream = new FileStream(file.FullName, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            await using (var writer = new StreamWriter(stream))
            {
                await writer.WriteAsync(key.ExportPrivateKeyPem());
            }

            await Console.Out.WriteLineAsync($"Wrote a new signing key to {file.FullName} (key id {key.KeyId}). Publish its public half: ingest audit public-key.");
            return 0;
        });
        return command;
    }
}
