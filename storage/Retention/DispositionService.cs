using Dapper;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Objects;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Enforcement.Media.Storage.Retention;

/// <summary>
/// Deletion after the retention period, only on two records managers' word: one proposes with a reason, a
/// second — never the one who proposed it — approves or refuses with a reason, and only an approval deletes.
/// A recording is eligible when it is not permanent, has no legal hold (manual or from an open case), is in
/// no case that is open or closed-but-not-archived, and every object's period has ended; that is asked again
/// at each step. The store has the last word: if it still holds a lock, the deletion is refused and
/// reported. What remains is a tombstone kept forever: SHA-256, metadata, who proposed and who approved,
/// when, why, under which rule, and what the store said — the destruction register (销毁清册) reads it.
/// Every step, and every refusal, is an audit event committed with it.
/// </summary>
public sealed partial class DispositionService(
    NpgsqlDataSource dataSource,
    IEvidenceStore store,
    RetentionPolicy policy,
    AuditTrail audit,
    TimeProvider time,
    ILogger<DispositionService> logger)
{
    public const string ScanActor = "system:disposition-scan";

    private const string NotEligible = "not eligible: its retention period has not ended, or it is held, permanent or in a case that is not archived";

    /// <summary>
    /// Queues every recording that became eligible and withdraws (audited) every open entry whose recording
    /// no longer is — a hold placed, a link to a case that is not archived, a longer period; returns how many were added.
    /// </summary>
    public async Task<int> RefreshQueueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var withdrawn = await DispositionQueue.WithdrawIneligibleAsync(connection, transaction, now, cancellationToken);
        if (withdrawn.Count > 0)
        {
            await audit.AppendManyAsync(
                connection,
                [.. withdrawn.Select(w => new AuditEntry(ScanActor, "disposition.withdrawn", "recording", w.RecordingId.ToString(), new { entryId = w.Id, why = "no longer eligible" }))],
                cancellationToken);
        }

        var added = await DispositionQueue.QueueEligibleAsync(connection, transaction, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (added > 0 || withdrawn.Count > 0)
        {
            LogQueued(added, withdrawn.Count);
        }

        return added;
    }

    /// <summary>The open entries: waiting for a proposal, or proposed and waiting for a second records manager.</summary>
    public async Task<IReadOnlyList<DispositionCandidate>> PendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await DispositionQueue.OpenAsync(connection, cancellationToken);
    }

    /// <summary>
    /// A records manager proposes disposing of one recording. Refused (and audited) when the reason is empty
    /// or the recording is not eligible now; <see cref="DispositionDecisionException"/> when it already has an
    /// open proposal. Nothing is deleted: that waits for a second records manager's approval.
    /// </summary>
    public async Task<DispositionResult> ProposeAsync(Guid recordingId, string actor, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return await RefuseAsync(recordingId, actor, reason, "a disposition needs a reason", cancellationToken);
        }

        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await DispositionQueue.IsEligibleAsync(connection, transaction, recordingId, now, cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            return await RefuseAsync(recordingId, actor, reason, NotEligible, cancellationToken);
        }

        if (await DispositionQueue.ProposeAsync(connection, transaction, recordingId, actor, reason, now, cancellationToken) is not { } entryId)
        {
            var open = await DispositionQueue.OpenProposalAsync(connection, transaction, recordingId, cancellationToken);
            throw new DispositionDecisionException(
                DispositionDecisionProblem.AlreadyProposed,
                $"Recording {recordingId} is already proposed for disposition{(open is { } p ? $" by {p.ProposedBy} at {p.ProposedAt:u}" : string.Empty)}: a second records manager decides that proposal.");
        }

        await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "disposition.proposed", "recording", recordingId.ToString(), new { entryId, reason }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogProposed(recordingId, actor);
        return new DispositionResult(recordingId, "proposed", "proposed; a second records manager approves or refuses it", entryId);
    }

    /// <summary>
    /// A second records manager approves a proposal, and the recording is disposed of at once — or refused
    /// (audited, the entry closed) when it is not eligible now or the store refuses to delete a version.
    /// Null when there is no such entry. The one who proposed it is refused (audited) with
    /// <see cref="DispositionDecisionException"/>, as is an entry that is not an open proposal.
    /// </summary>
    public async Task<DispositionResult?> ApproveAsync(Guid entryId, string actor, string reason, CancellationToken cancellationToken)
    {
        RequireReason(reason);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // The entry stays locked while the store deletes, so a second approval of it waits and then finds it decided.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await OpenProposalAsync(connection, transaction, entryId, cancellationToken) is not { } entry)
        {
            return null;
        }

        var recordingId = entry.RecordingId;
        if (string.Equals(entry.ProposedBy, actor, StringComparison.Ordinal))
        {
            await transaction.RollbackAsync(cancellationToken);
            await audit.AppendAsync(new AuditEntry(actor, "disposition.approval-refused", "recording", recordingId.ToString(), new { entryId, reason, why = "the records manager who proposed a disposition may not approve it" }), cancellationToken);
            LogSelfApprovalRefused(recordingId, actor);
            throw new DispositionDecisionException(
                DispositionDecisionProblem.ProposerMayNotApprove,
                $"You proposed this disposition: a second records manager, not the one who proposed it, approves it.");
        }

        var now = time.GetUtcNow();
        if (!await DispositionQueue.IsEligibleAsync(connection, transaction, recordingId, now, cancellationToken))
        {
            return await CloseRefusedAsync(connection, transaction, entry, actor, reason, NotEligible, [], cancellationToken);
        }

        var rule = await RuleAsync(connection, recordingId, cancellationToken);

        // Ask the store first: if it still locks any version, nothing is deleted at all.
        var live = await RetentionStore.LiveObjectsAsync(connection, recordingId, cancellationToken);
        foreach (var item in live)
        {
            var held = await store.GetRetentionAsync(item.Location, cancellationToken);
            if (held.IsLockedAt(time.GetUtcNow()))
            {
                return await CloseRefusedAsync(
                    connection, transaction, entry, actor, reason, $"the store still locks {item.Location} (until {held.RetainUntil:O}, legal hold {(held.LegalHold ? "on" : "off")})", [], cancellationToken);
            }
        }

        var confirmations = new List<(Guid ObjectId, string Confirmation)>();
        foreach (var item in live)
        {
            try
            {
                await store.DeleteAsync(item.Location, cancellationToken);
            }
            catch (ObjectLockedException ex)
            {
                // Locked since the check (a hold placed meanwhile): keep what was deleted on record, stop.
                return await CloseRefusedAsync(
                    connection, transaction, entry, actor, reason, $"the store refused to delete {item.Location}: {ex.Reason} ({confirmations.Count} other version(s) were deleted and are recorded)", confirmations, cancellationToken);
            }

            var confirmation = await store.HeadAsync(item.Location, cancellationToken) is null
                ? $"deleted {item.Location} from {PublicStoreName.Of(store.Name)} at {time.GetUtcNow():O}; the store no longer has it"
                : throw new ObjectIntegrityException($"The store reported deleting {item.Location} but still has it.");
            confirmations.Add((item.ObjectId, confirmation));
        }

        await RecordDeletedAsync(connection, transaction, confirmations, now, cancellationToken);
        var outcome = $"{confirmations.Count} object version(s) deleted and confirmed absent";
        await DispositionQueue.DecideAsync(connection, transaction, entryId, "disposed", "approved", actor, reason, outcome, rule, now, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE recordings SET disposed_at = @now, disposed_by = @actor, disposal_reason = @reason WHERE id = @recordingId",
            new { recordingId, actor, reason, now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken));
        await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "disposition.approved", "recording", recordingId.ToString(), new { entryId, proposedBy = entry.ProposedBy, reason }), cancellationToken);
        await audit.AppendAsync(
            connection,
            transaction,
            new AuditEntry(actor, "recording.disposed", "recording", recordingId.ToString(), new { entryId, proposedBy = entry.ProposedBy, proposal = entry.ProposalReason, reason, rule, objects = confirmations.Select(c => c.Confirmation) }),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogDisposed(recordingId, entry.ProposedBy!, actor, confirmations.Count);
        return new DispositionResult(recordingId, "disposed", outcome, entryId);
    }

    /// <summary>
    /// A records manager refuses a proposal: nothing is deleted and the entry is closed (the scan queues the
    /// recording again while it stays eligible, for a new proposal). The one who proposed it may refuse it
    /// too — taking it back destroys nothing. Null when there is no such entry.
    /// </summary>
    public async Task<DispositionResult?> RefuseProposalAsync(Guid entryId, string actor, string reason, CancellationToken cancellationToken)
    {
        RequireReason(reason);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await OpenProposalAsync(connection, transaction, entryId, cancellationToken) is not { } entry)
        {
            return null;
        }

        var outcome = $"refused by {actor}; nothing was deleted";
        await DispositionQueue.DecideAsync(connection, transaction, entryId, "refused", "refused", actor, reason, outcome, null, time.GetUtcNow(), cancellationToken);
        await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "disposition.proposal-refused", "recording", entry.RecordingId.ToString(), new { entryId, proposedBy = entry.ProposedBy, reason }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogProposalRefused(entry.RecordingId, actor);
        return new DispositionResult(entry.RecordingId, "refused", outcome, entryId);
    }

    /// <summary>The entry locked for a decision; null when unknown, refused when it is not an open proposal.</summary>
    private static async Task<DispositionEntry?> OpenProposalAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid entryId, CancellationToken cancellationToken)
    {
        var entry = await DispositionQueue.LockAsync(connection, transaction, entryId, cancellationToken);
        return entry is null or { State: "proposed" }
            ? entry
            : throw new DispositionDecisionException(
                DispositionDecisionProblem.NotAwaitingDecision,
                entry.State == "pending" ? "Nobody has proposed this disposition yet: propose it first." : $"This disposition was decided already ({entry.State}).");
    }

    /// <summary>The policy's reasons as they stand when the recording is disposed of: the rule it is destroyed under.</summary>
    private async Task<string?> RuleAsync(NpgsqlConnection connection, Guid recordingId, CancellationToken cancellationToken) =>
        await RetentionStore.FactsAsync(connection, recordingId, cancellationToken) is { } facts ? string.Join("; ", policy.Plan(facts).Reasons) : null;

    /// <summary>An approval the policy or the store refused: the entry closed as refused with why, what was deleted on record, audited.</summary>
    private async Task<DispositionResult> CloseRefusedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DispositionEntry entry, string actor, string reason, string why,
        IReadOnlyList<(Guid ObjectId, string Confirmation)> deleted, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await RecordDeletedAsync(connection, transaction, deleted, now, cancellationToken);
        await DispositionQueue.DecideAsync(connection, transaction, entry.Id, "refused", "approved", actor, reason, why, null, now, cancellationToken);
        await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "disposition.refused", "recording", entry.RecordingId.ToString(), new { entryId = entry.Id, reason, why }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogRefused(entry.RecordingId, actor, why);
        return new DispositionResult(entry.RecordingId, "refused", why, entry.Id);
    }

    /// <summary>A proposal refused before it entered the queue (no reason, not eligible): audited, the queue as it was.</summary>
    private async Task<DispositionResult> RefuseAsync(Guid recordingId, string actor, string? reason, string why, CancellationToken cancellationToken)
    {
        await audit.AppendAsync(new AuditEntry(actor, "disposition.refused", "recording", recordingId.ToString(), new { reason, why }), cancellationToken);
        LogRefused(recordingId, actor, why);
        return new DispositionResult(recordingId, "refused", why);
    }

    private static async Task RecordDeletedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(Guid ObjectId, string Confirmation)> deleted, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var (objectId, confirmation) in deleted)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE stored_objects SET deleted_at = @now, deletion_confirmation = @confirmation WHERE id = @objectId",
                new { objectId, confirmation, now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken));
        }
    }

    private static void RequireReason(string reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("A disposition decision needs a reason.", nameof(reason));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Added} recordings entered the disposition queue, {Withdrawn} left it as no longer eligible")]
    private partial void LogQueued(int added, int withdrawn);

    [LoggerMessage(Level = LogLevel.Information, Message = "Disposition of recording {RecordingId} proposed by {Actor}")]
    private partial void LogProposed(Guid recordingId, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} disposed, proposed by {ProposedBy} and approved by {Actor}: {Objects} object versions deleted")]
    private partial void LogDisposed(Guid recordingId, string proposedBy, string actor, int objects);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disposition of recording {RecordingId} refused for {Actor}: {Why}")]
    private partial void LogRefused(Guid recordingId, string actor, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Actor} proposed the disposition of recording {RecordingId} and may not approve it too")]
    private partial void LogSelfApprovalRefused(Guid recordingId, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Proposed disposition of recording {RecordingId} refused by {Actor}")]
    private partial void LogProposalRefused(Guid recordingId, string actor);
}
