using Enforcement.Media.Storage.Audit.Checkpoints;
using Enforcement.Media.Storage.Audit.Verification;
using Enforcement.Media.Storage.Objects;
using Npgsql;

namespace Enforcement.Media.Storage.Audit;

/// <summary>
/// Runs <see cref="AuditChainVerifier"/> on this system's own trail: the events as the catalogue holds
/// them, against the checkpoints as the evidence store holds them. Also writes the export form
/// (JSON Lines plus the checkpoint objects) that anyone can verify elsewhere.
/// </summary>
public sealed class AuditTrailVerifier(NpgsqlDataSource dataSource, IEvidenceStore store, AuditKeyring keyring)
{
    /// <summary>Verifies the whole chain from seq 1, trusting the configured keys and <paramref name="extraKeys"/>.</summary>
    public async Task<AuditVerification> VerifyCatalogueAsync(IReadOnlyCollection<AuditPublicKey> extraKeys, CancellationToken cancellationToken)
    {
        var stored = await StoredCheckpoints.ReadAsync(store, cancellationToken);
        var verifier = new AuditChainVerifier([.. keyring.TrustedKeys, .. extraKeys]);
        var result = await verifier.VerifyAsync(AuditEventReader.ReadAsync(dataSource, 1, null, cancellationToken), stored.Checkpoints, fromGenesis: true, cancellationToken);
        var notes = new List<string>(result.Notes);
        notes.AddRange(stored.Unlocked.Select(u => $"{store.Name}/{u} lies among the checkpoints but is not locked, so it is no checkpoint: set aside"));
        if (await AuditEventReader.CountUnsealedAsync(dataSource, cancellationToken) is var unsealed and > 0)
        {
            notes.Add($"{unsealed} event(s) are appended but not chained yet (the sealer of a running process chains them)");
        }

        return result with { Notes = notes };
    }

    /// <summary>
    /// Writes events <paramref name="fromSeq"/>..<paramref name="toSeq"/> as JSON Lines to
    /// <paramref name="path"/>, every locked checkpoint to <c>checkpoints/</c> beside it, and the
    /// signing key's public half to <c>audit-public-key.pem</c> (a convenience: a verifier should
    /// compare its key id with the one the agency publishes).
    /// </summary>
    public async Task<AuditExport> ExportAsync(string path, long fromSeq, long? toSeq, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        long events;
        await using (var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            events = await AuditJsonLines.WriteAsync(output, AuditEventReader.ReadAsync(dataSource, fromSeq, toSeq, cancellationToken), cancellationToken);
        }

        var stored = await StoredCheckpoints.ReadAsync(store, cancellationToken);
        var checkpointFolder = Path.Combine(folder, "checkpoints");
        await CheckpointFolder.WriteAsync(checkpointFolder, stored.Checkpoints, cancellationToken);
        string? publicKey = null;
        if (keyring.SigningKey is { } key)
        {
            publicKey = Path.Combine(folder, "audit-public-key.pem");
            await File.WriteAllTextAsync(publicKey, key.PublicKey.Pem, cancellationToken);
        }

        return new AuditExport(Path.GetFullPath(path), events, checkpointFolder, stored.Checkpoints.Count, publicKey);
    }
}
