using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Enforcement.Media.Storage.Audit;

/// <summary>
/// Moves audit events from the outbox into the hash chain, in outbox order, one sealer at a time
/// across all processes (advisory lock), so the chain stays linear and gapless however many ingest
/// workers and player instances write events. Batches keep it fast. The lock is per catalogue schema:
/// one schema, one chain.
/// </summary>
public sealed partial class AuditSealer(NpgsqlDataSource dataSource, ILogger<AuditSealer> logger) : BackgroundService
{
    private const int BatchSize = 10000;
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(250);

    /// <summary>Seals up to one batch; returns how many events were sealed.</summary>
    public async Task<int> SealBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtextextended('enforcement-media/audit-seal/' || current_schema(), 0))", transaction: transaction, cancellationToken: cancellationToken));

        const string takeOutbox = """
            DELETE FROM audit_outbox
            WHERE id IN (SELECT id FROM audit_outbox ORDER BY id LIMIT @BatchSize)
            RETURNING id, occurred_at, actor, action, subject_type, subject_id, details
            """;
        var pending = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(takeOutbox, new { BatchSize }, transaction, cancellationToken: cancellationToken)))
            .OrderBy(r => r.Id)
            .ToList();
        if (pending.Count == 0)
        {
            return 0;
        }

        const string readHead = "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1";
        var head = await connection.QuerySingleOrDefaultAsync<ChainHead>(new CommandDefinition(readHead, transaction: transaction, cancellationToken: cancellationToken));
        var seq = head?.Seq ?? 0;
        var previous = head?.Hash ?? AuditHash.Genesis;

        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY audit_events (seq, occurred_at, actor, action, subject_type, subject_id, details, prev_hash, hash) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var row in pending)
            {
                seq++;
                var hash = AuditHash.Compute(seq, row.OccurredAt, row.Actor, row.Action, row.SubjectType, row.SubjectId, row.Details, previous);
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(seq, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(row.OccurredAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await importer.WriteAsync(row.Actor, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(row.Action, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(row.SubjectType, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(row.SubjectId, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(row.Details, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(previous, NpgsqlDbType.Bytea, cancellationToken);
                await importer.WriteAsync(hash, NpgsqlDbType.Bytea, cancellationToken);
                previous = hash;
            }

            await importer.CompleteAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return pending.Count;
    }

    /// <summary>Seals until the outbox is empty (as far as this transaction can see).</summary>
    public async Task<int> SealAllAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        int sealedNow;
        while ((sealedNow = await SealBatchAsync(cancellationToken)) > 0)
        {
            total += sealedNow;
        }

        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await SealAllAsync(stoppingToken) == 0)
                {
                    await Task.Delay(Idle, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException ex)
            {
                // Events stay in the outbox (the transaction rolled back) and are sealed on the next pass.
                LogSealFailed(ex);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sealing audit events failed; they stay in the outbox and will be retried")]
    private partial void LogSealFailed(Exception exception);

    private sealed record OutboxRow(long Id, DateTime OccurredAt, string Actor, string Action, string SubjectType, string SubjectId, string Details);

    private sealed record ChainHead(long Seq, byte[] Hash);
}
