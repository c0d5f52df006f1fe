using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Objects;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Enforcement.Media.Storage.Retention;

/// <summary>
/// Compares, object by object, the lock the store reports (read back, never assumed) with the
/// catalogue and the policy, repairs what falls short through <see cref="RetentionEnforcer"/>, and
/// reports — and audits — every drift it found.
/// </summary>
public sealed partial class RetentionReconciler(
    NpgsqlDataSource dataSource,
    IEvidenceStore store,
    RetentionPolicy policy,
    RetentionEnforcer enforcer,
    AuditTrail audit,
    ILogger<RetentionReconciler> logger)
{
    private const int Page = 200;
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(1);

    public async Task<ReconcileReport> ReconcileAsync(string actor, CancellationToken cancellationToken)
    {
        var drifts = new List<RetentionDrift>();
        var (recordings, objects) = (0, 0);
        var after = Guid.Empty;
        while (true)
        {
            IReadOnlyList<Guid> page;
            await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
            {
                page = await RetentionStore.RecordingsAfterAsync(connection, after, Page, cancellationToken);
            }

            if (page.Count == 0)
            {
                break;
            }

            foreach (var recordingId in page)
            {
                var (checkedObjects, found) = await ReconcileRecordingAsync(recordingId, actor, cancellationToken);
                recordings++;
                objects += checkedObjects;
                drifts.AddRange(found);
            }

            after = page[^1];
        }

        var report = new ReconcileReport(recordings, objects, drifts);
        LogReconciled(recordings, objects, drifts.Count, report.Unrepaired);
        return report;
    }

    private async Task<(int Objects, IReadOnlyList<RetentionDrift> Drifts)> ReconcileRecordingAsync(Guid recordingId, string actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var facts = await RetentionStore.FactsAsync(connection, recordingId, cancellationToken);
        if (facts is null)
        {
            return (0, []);
        }

        var plan = policy.Plan(facts);
        var live = (await RetentionStore.LiveObjectsAsync(connection, recordingId, cancellationToken)).Where(o => o.Store == store.Name).ToList();
        var found = new List<(LiveObject Object, string Kind, string Detail)>();
        foreach (var item in live)
        {
            ObjectRetention held;
            try
            {
                held = await store.GetRetentionAsync(item.Location, cancellationToken);
            }
            catch (ObjectNotFoundException)
            {
                found.Add((item, "missing", $"the store has no object {item.Location}"));
                continue;
            }

            var required = plan.RetainUntil > item.RetainUntil ? plan.RetainUntil : item.RetainUntil;
            if (held.RetainUntil is null || held.RetainUntil < required - Tolerance)
            {
                found.Add((item, "shorter", $"store locks until {held.RetainUntil:O}, must be at least {required:O}"));
            }
            else if (held.RetainUntil > item.RetainUntil + Tolerance)
            {
                found.Add((item, "catalogue-behind", $"store locks until {held.RetainUntil:O}, catalogue records {item.RetainUntil:O}"));
            }

            if (held.LegalHold != plan.LegalHold)
            {
                found.Add((item, "hold", $"store legal hold {(held.LegalHold ? "on" : "off")}, policy says {(plan.LegalHold ? "on" : "off")}"));
            }
        }

        if (found.Count == 0)
        {
            return (live.Count, []);
        }

        var repairable = found.Any(f => f.Kind != "missing");
        var repaired = false;
        if (repairable)
        {
            await enforcer.ApplyAsync(recordingId, actor, cancellationToken);
            repaired = true;
        }

        var drifts = found.Select(f => new RetentionDrift(recordingId, f.Object.ObjectId, f.Object.Location.Key, f.Kind, f.Detail, f.Kind != "missing" && repaired)).ToList();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var drift in drifts)
        {
            await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "retention.drift", "recording", recordingId.ToString(), drift), cancellationToken);
            if (drift.Repaired)
            {
                LogRepaired(drift.RecordingId, drift.ObjectKey, drift.Kind, drift.Detail);
            }
            else
            {
                LogUnrepaired(drift.RecordingId, drift.ObjectKey, drift.Kind, drift.Detail);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return (live.Count, drifts);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled {Recordings} recordings, {Objects} objects: {Drifts} drifts, {Unrepaired} not repairable")]
    private partial void LogReconciled(int recordings, int objects, int drifts, int unrepaired);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention drift on recording {RecordingId} object {ObjectKey} ({DriftKind}) repaired: {Detail}")]
    private partial void LogRepaired(Guid recordingId, string objectKey, string driftKind, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention drift on recording {RecordingId} object {ObjectKey} ({DriftKind}) NOT repairable: {Detail}")]
    private partial void LogUnrepaired(Guid recordingId, string objectKey, string driftKind, string detail);
}
