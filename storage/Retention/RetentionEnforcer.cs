using Dapper;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Objects;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Enforcement.Media.Storage.Retention;

/// <summary>
/// Makes the store hold what the policy says, for every live object of a recording (the original
/// and each derivative): retain-until extended (never shortened) and legal hold set or lifted, each
/// read back from the store; then the catalogue records what the store confirmed. The store is the
/// enforcement; the catalogue is its record.
/// </summary>
public sealed partial class RetentionEnforcer(
    NpgsqlDataSource dataSource,
    IEvidenceStore store,
    RetentionPolicy policy,
    AuditTrail audit,
    ILogger<RetentionEnforcer> logger)
{
    public async Task<RetentionOutcome?> ApplyAsync(Guid recordingId, string actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // One enforcer per recording at a time: legal hold on/off must not race.
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_lock(hashtextextended('retention/' || @recordingId::text, 0))", new { recordingId }, cancellationToken: cancellationToken));
        try
        {
            var facts = await RetentionStore.FactsAsync(connection, recordingId, cancellationToken);
            if (facts is null)
            {
                return null;
            }

            var plan = policy.Plan(facts);
            var changes = new List<object>();
            var applied = new List<(LiveObject Object, ObjectRetention Retention)>();
            foreach (var live in await RetentionStore.LiveObjectsAsync(connection, recordingId, cancellationToken))
            {
                if (live.Store != store.Name)
                {
                    LogOtherStore(live.ObjectId, live.Store);
                    continue;
                }

                // Never below what this object's own record already promises (a derivative may carry more).
                var target = live.RetainUntil > plan.RetainUntil ? live.RetainUntil : plan.RetainUntil;
                var before = await store.GetRetentionAsync(live.Location, cancellationToken);
                var after = await store.ExtendRetentionAsync(live.Location, target, cancellationToken);
                if (after.LegalHold != plan.LegalHold)
                {
                    after = await store.SetLegalHoldAsync(live.Location, plan.LegalHold, cancellationToken);
                }

                if (after.RetainUntil < target.AddSeconds(-1) || after.LegalHold != plan.LegalHold)
                {
                    throw new ObjectIntegrityException(
                        $"The store did not apply retention to {live.Location}: asked until {target:O} hold {plan.LegalHold}, read back until {after.RetainUntil:O} hold {after.LegalHold}.");
                }

                if (before != after || live.RetainUntil != after.RetainUntil || live.LegalHold != after.LegalHold)
                {
                    changes.Add(new { objectId = live.ObjectId, kind = live.Kind, key = live.Location.Key, before = new { before.RetainUntil, before.LegalHold }, after = new { after.RetainUntil, after.LegalHold } });
                }

                applied.Add((live, after));
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var (live, retention) in applied)
            {
                await RetentionStore.RecordAppliedAsync(connection, transaction, live.ObjectId, retention, cancellationToken);
            }

            await RetentionStore.RecordPlanAsync(connection, transaction, plan, cancellationToken);
            if (changes.Count > 0)
            {
                await audit.AppendAsync(
                    connection,
                    transaction,
                    new AuditEntry(actor, "retention.applied", "recording", recordingId.ToString(), new { plan.Class, plan.RetainUntil, plan.LegalHold, plan.Reasons, changes }),
                    cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            LogApplied(recordingId, plan.Class, plan.RetainUntil, plan.LegalHold, changes.Count);
            return new RetentionOutcome(plan, changes.Count);
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_unlock(hashtextextended('retention/' || @recordingId::text, 0))", new { recordingId }, cancellationToken: CancellationToken.None));
        }
    }

    /// <summary>
    /// A records manager asks for a recording to be kept until a date. Later than now: recorded and
    /// applied to the store. Earlier: refused and audited — a period is never shortened by anyone.
    /// </summary>
    public async Task<RetentionOutcome?> RequestRetainUntilAsync(Guid recordingId, DateTimeOffset retainUntil, string actor, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var current = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
                "SELECT retain_until FROM recordings WHERE id = @recordingId AND disposed_at IS NULL FOR UPDATE", new { recordingId }, transaction, cancellationToken: cancellationToken));
            if (current is null)
            {
                return null;
            }

            if (retainUntil < Catalogue.Utc.From(current.Value))
            {
                await audit.AppendAsync(
                    connection,
                    transaction,
                    new AuditEntry(actor, "retention.shorten-refused", "recording", recordingId.ToString(), new { requested = retainUntil, current = Catalogue.Utc.From(current.Value), reason }),
                    cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                throw new RetentionShorteningException(recordingId, Catalogue.Utc.From(current.Value), retainUntil);
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE recordings SET retain_until = @until WHERE id = @recordingId", new { recordingId, until = retainUntil.UtcDateTime }, transaction, cancellationToken: cancellationToken));
            await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "retention.extended", "recording", recordingId.ToString(), new { retainUntil, reason }), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return await ApplyAsync(recordingId, actor, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention of recording {RecordingId}: {RetentionClass} until {RetainUntil:O}, hold {LegalHold} ({Changes} objects changed)")]
    private partial void LogApplied(Guid recordingId, string retentionClass, DateTimeOffset retainUntil, bool legalHold, int changes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Object {ObjectId} is in store {Store}, not this process's store; left for a process configured with it")]
    private partial void LogOtherStore(Guid objectId, string store);
}
