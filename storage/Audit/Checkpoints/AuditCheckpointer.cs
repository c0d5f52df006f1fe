using System.Text;
using Dapper;
using Enforcement.Media.Storage.Audit.Verification;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Recordings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Storage.Audit.Checkpoints;

/// <summary>
/// Signs the head of the chain (sequence number and hash) and writes it to the evidence store as a
/// COMPLIANCE-locked object, through the same two-phase write as evidence, then records it in the
/// catalogue. Once a checkpoint is in the store, rewriting or truncating the events it covers is
/// detectable even by someone who controls the whole database.
/// </summary>
/// <remarks>
/// One checkpointer at a time per catalogue (an advisory lock held for the transaction). A crash after
/// the object was sealed but before the catalogue row was committed leaves a valid checkpoint in the
/// store that the catalogue does not list: harmless, the verifier reads the store itself.
/// </remarks>
public sealed partial class AuditCheckpointer(
    NpgsqlDataSource dataSource,
    IEvidenceStore store,
    AuditKeyring keyring,
    IOptions<AuditOptions> options,
    TimeProvider time,
    ILogger<AuditCheckpointer> logger)
{
    private readonly AuditTrail _audit = new(dataSource, time);

    /// <summary>
    /// Writes a checkpoint when <c>Audit:CheckpointEvery</c> events have been chained since the last
    /// one, or the oldest event not yet covered is older than <c>Audit:CheckpointInterval</c>; with
    /// <paramref name="force"/>, whenever there is any event not yet covered. Null when none was due.
    /// </summary>
    public async Task<AuditCheckpoint?> CheckpointIfDueAsync(bool force, CancellationToken cancellationToken)
    {
        var key = keyring.SigningKey
            ?? throw new InvalidOperationException($"No checkpoint signing key is configured ({AuditOptions.Section}:SigningKeyPath).");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtextextended('enforcement-media/audit-checkpoint/' || current_schema(), 0))",
            transaction: transaction,
            cancellationToken: cancellationToken));

        const string readHead = "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1";
        var head = await connection.QuerySingleOrDefaultAsync<Head>(new CommandDefinition(readHead, transaction: transaction, cancellationToken: cancellationToken));
        const string readLast = "SELECT seq, key_id FROM audit_checkpoints ORDER BY seq DESC LIMIT 1";
        var last = await connection.QuerySingleOrDefaultAsync<Last>(new CommandDefinition(readLast, transaction: transaction, cancellationToken: cancellationToken));
        var covered = last?.Seq ?? 0;
        if (head is null || head.Seq <= covered)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (!force && head.Seq - covered < Math.Max(1, options.Value.CheckpointEvery))
        {
            const string readOldest = "SELECT occurred_at FROM audit_events WHERE seq = @next";
            var oldest = await connection.ExecuteScalarAsync<DateTime>(new CommandDefinition(readOldest, new { next = covered + 1 }, transaction, cancellationToken: cancellationToken));
            if (now - new DateTimeOffset(DateTime.SpecifyKind(oldest, DateTimeKind.Utc)) < options.Value.CheckpointInterval)
            {
                return null;
            }
        }

        if (last?.KeyId != key.KeyId)
        {
            // Changing the key that vouches for the trail is itself a configuration change worth a trace.
            await _audit.AppendAsync(
                connection,
                transaction,
                new AuditEntry("system:audit", "audit.signing-key-changed", "audit", "checkpoints", new { previousKeyId = last?.KeyId, keyId = key.KeyId, fromSeq = head.Seq }),
                cancellationToken);
        }

        var statement = new CheckpointStatement(head.Seq, Convert.ToHexStringLower(head.Hash), AuditHash.FormatTime(now.UtcDateTime), key.KeyId);
        var statementJson = statement.ToCanonicalJson();
        var document = new CheckpointDocument(statement, statementJson, key.Sign(Encoding.UTF8.GetBytes(statementJson)));
        var sealedObject = await StoreAsync(document, now, cancellationToken);

        var objectId = await RecordingStore.InsertObjectAsync(connection, transaction, store.Name, sealedObject, ObjectKind.Checkpoint, "application/json", null, now, cancellationToken);
        const string record = """
            INSERT INTO audit_checkpoints (seq, hash, signed_at, key_id, object_id, document)
            VALUES (@Seq, @Hash, @SignedAt, @KeyId, @ObjectId, @Document)
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            record,
            new { head.Seq, head.Hash, SignedAt = now.UtcDateTime, key.KeyId, ObjectId = objectId, Document = Encoding.UTF8.GetString(document.ToBytes()) },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        LogCheckpointed(head.Seq, statement.Hash, sealedObject.Location, key.KeyId);
        return new AuditCheckpoint(document, sealedObject);
    }

    private async Task<SealedObject> StoreAsync(CheckpointDocument document, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pending = await store.WriteAsync(ObjectWrite.New(ObjectKind.Checkpoint, "application/json"), new MemoryStream(document.ToBytes()), null, cancellationToken);
        try
        {
            return await store.SealAsync(pending, new ObjectLock(now.AddDays(Math.Max(1, options.Value.CheckpointRetentionDays))), cancellationToken);
        }
        catch
        {
            // Never sealed, so not a checkpoint: remove it rather than leave an unlocked object behind.
            await store.DiscardAsync(pending, CancellationToken.None);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit checkpoint at seq {Seq} ({Hash}) signed by key {KeyId} and locked in the store as {ObjectKey}")]
    private partial void LogCheckpointed(long seq, string hash, ObjectRef objectKey, string keyId);

    private sealed record Head(long Seq, byte[] Hash);

    private sealed record Last(long Seq, string KeyId);
}
