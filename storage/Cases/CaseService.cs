using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Storage.Cases;

/// <summary>
/// Creates and updates cases from the agency's case system, idempotently by case number: the same
/// submission twice changes nothing; a changed one updates the case (every change audited) and
/// queues what follows from it — relinking for new or moved activities (for every activity when the
/// case moves to another unit, since automatic links follow the unit), retention for the linked
/// recordings when the status or flags change.
/// </summary>
public sealed partial class CaseService(
    NpgsqlDataSource dataSource,
    CaseValidator validator,
    AuditTrail audit,
    IOptions<CasesOptions> options,
    TimeProvider time,
    ILogger<CaseService> logger)
{
    public async Task<CaseSubmission> SubmitAsync(CaseInput input, string actor, CancellationToken cancellationToken, int? line = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var problems = validator.Validate(input, await CaseStore.KnownOfficersAsync(connection, cancellationToken), line);
        if (problems.Any(p => p.IsError))
        {
            return new CaseSubmission(null, CaseSubmissionOutcome.Rejected, problems);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await CaseStore.LockCaseNumberAsync(connection, transaction, input.CaseNumber, cancellationToken);
        var now = time.GetUtcNow();
        var existing = await CaseStore.FindAsync(connection, transaction, input.CaseNumber, cancellationToken);

        CaseRecord record;
        var outcome = CaseSubmissionOutcome.Unchanged;
        var retentionChanged = false;
        var unitChanged = false;
        if (existing is null)
        {
            record = ToRecord(Guid.CreateVersion7(now), input, reopenedAt: null);
            await CaseStore.InsertAsync(connection, transaction, record, now, cancellationToken);
            await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "case.created", "case", record.Id.ToString(), Describe(record)), cancellationToken);
            outcome = CaseSubmissionOutcome.Created;
        }
        else
        {
            var reopened = existing.Status != CaseStatus.Open && input.Status == CaseStatus.Open ? now : existing.ReopenedAt;
            record = ToRecord(existing.Id, input, reopened);
            var changes = Changes(existing, record);
            if (changes.Count > 0)
            {
                await CaseStore.UpdateAsync(connection, transaction, record, now, cancellationToken);
                await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "case.updated", "case", record.Id.ToString(), new { caseNumber = record.CaseNumber, changes }), cancellationToken);
                outcome = CaseSubmissionOutcome.Updated;
                retentionChanged = changes.ContainsKey("status") || changes.ContainsKey("flags") || changes.ContainsKey("closedAt") || changes.ContainsKey("archivedAt");
                unitChanged = changes.ContainsKey("unitCode");
            }
        }

        var stages = await CaseStore.EnsureStagesAsync(connection, transaction, record.Id, options.Value.StageTaxonomy, cancellationToken);
        var changedActivities = await UpsertActivitiesAsync(connection, transaction, record, input.Activities, stages, actor, now, cancellationToken);
        if (changedActivities.Count > 0 && outcome == CaseSubmissionOutcome.Unchanged)
        {
            outcome = CaseSubmissionOutcome.Updated;
        }

        var relink = unitChanged
            ? (await CaseStore.ActivitiesAsync(connection, transaction, record.Id, cancellationToken)).Select(a => a.Id).ToList()
            : changedActivities;
        foreach (var activityId in relink)
        {
            await JobQueue.EnqueueAsync(connection, transaction, new JobRequest(JobKinds.LinkActivity, null, new { activityId }), cancellationToken);
        }

        if (retentionChanged)
        {
            foreach (var recordingId in await CaseStore.LinkedRecordingsAsync(connection, transaction, record.Id, cancellationToken))
            {
                await JobQueue.EnqueueAsync(connection, transaction, new JobRequest(JobKinds.Retention, recordingId, Priority: 5), cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        LogSubmitted(record.CaseNumber, outcome, actor);
        return new CaseSubmission(record.Id, outcome, problems);
    }

    /// <summary>Adds new activities and updates changed ones, each audited; returns the ids of those it added or changed.</summary>
    private async Task<List<Guid>> UpsertActivitiesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CaseRecord record, IReadOnlyList<ActivityInput> inputs,
        IReadOnlyDictionary<string, Guid> stages, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = (await CaseStore.ActivitiesAsync(connection, transaction, record.Id, cancellationToken)).ToDictionary(a => a.ExternalId, StringComparer.Ordinal);
        var changed = new List<Guid>();
        foreach (var input in inputs)
        {
            var officers = input.Officers.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            if (existing.TryGetValue(input.ExternalId, out var current))
            {
                var updated = current with
                {
                    StageId = stages[input.Stage],
                    StageCode = input.Stage,
                    Type = input.Type,
                    StartsAt = input.StartsAt.ToUniversalTime(),
                    EndsAt = input.EndsAt.ToUniversalTime(),
                    Place = input.Place,
                    Officers = officers,
                };
                if (SameActivity(current, updated))
                {
                    continue;
                }

                await CaseStore.UpdateActivityAsync(connection, transaction, updated, now, cancellationToken);
                await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "case.activity-updated", "case", record.Id.ToString(), new { caseNumber = record.CaseNumber, before = current, after = updated }), cancellationToken);
                changed.Add(updated.Id);
            }
            else
            {
                var activity = new ActivityRecord(
                    Guid.CreateVersion7(now), record.Id, stages[input.Stage], input.Stage, input.ExternalId, input.Type,
                    input.StartsAt.ToUniversalTime(), input.EndsAt.ToUniversalTime(), input.Place, officers);
                await CaseStore.InsertActivityAsync(connection, transaction, activity, now, cancellationToken);
                await audit.AppendAsync(connection, transaction, new AuditEntry(actor, "case.activity-added", "case", record.Id.ToString(), new { caseNumber = record.CaseNumber, activity }), cancellationToken);
                changed.Add(activity.Id);
            }
        }

        return changed;
    }

    private static bool SameActivity(ActivityRecord a, ActivityRecord b) =>
        a.StageId == b.StageId && a.Type == b.Type && a.StartsAt == b.StartsAt && a.EndsAt == b.EndsAt && a.Place == b.Place && a.Officers.SequenceEqual(b.Officers);

    private static CaseRecord ToRecord(Guid id, CaseInput input, DateTimeOffset? reopenedAt) => new(
        id,
        input.CaseNumber.Trim(),
        input.UnitCode,
        input.Subject,
        input.EnforcementType,
        input.Status,
        input.OpenedAt.ToUniversalTime(),
        input.ClosedAt?.ToUniversalTime(),
        input.ArchivedAt?.ToUniversalTime(),
        [.. input.Flags.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        reopenedAt);

    private static Dictionary<string, object?[]> Changes(CaseRecord before, CaseRecord after)
    {
        var changes = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        void Compare<T>(string field, T a, T b)
        {
            if (!EqualityComparer<T>.Default.Equals(a, b))
            {
                changes[field] = [a, b];
            }
        }

        Compare("unitCode", before.UnitCode, after.UnitCode);
        Compare("subject", before.Subject, after.Subject);
        Compare("enforcementType", before.EnforcementType, after.EnforcementType);
        Compare("status", before.Status, after.Status);
        Compare("openedAt", before.OpenedAt, after.OpenedAt);
        Compare("closedAt", before.ClosedAt, after.ClosedAt);
        Compare("archivedAt", before.ArchivedAt, after.ArchivedAt);
        Compare("flags", string.Join(',', before.Flags), string.Join(',', after.Flags));
        return changes;
    }

    private static object Describe(CaseRecord record) => new
    {
        caseNumber = record.CaseNumber,
        unitCode = record.UnitCode,
        subject = record.Subject,
        enforcementType = record.EnforcementType,
        status = record.Status,
        openedAt = record.OpenedAt,
        closedAt = record.ClosedAt,
        archivedAt = record.ArchivedAt,
        flags = record.Flags,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Case {CaseNumber} submitted by {Actor}: {Outcome}")]
    private partial void LogSubmitted(string caseNumber, CaseSubmissionOutcome outcome, string actor);
}
