using Dapper;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Storage.Cases;

/// <summary>
/// Ties recordings to the case stages they record. Automatically: a recording whose officer is one of
/// an activity's officers and whose span (recorder clock corrected by the station's offset) overlaps
/// the activity's window, give or take the configured slack, is linked to that activity's stage —
/// if it is footage of the case's unit. By hand: a reviewer links or unlinks with a reason. A
/// recording may belong to several cases. Every change is audited and queues the retention job,
/// since a link makes footage evidence.
/// </summary>
/// <remarks>
/// Automatic links never cross units. A link shows the footage to every reviewer of the case's unit,
/// and the case system names officers freely: a case of one unit naming an officer of another would
/// otherwise hand that unit's footage over without anyone of it deciding. So the recording's own unit
/// must be the case's unit, and a recording of no unit counts as its officer's unit in the officer
/// registry (none when the officer is not registered with one). Whatever else matches is left
/// unlinked and logged; footage of another unit gets into a case only by hand.
/// A link a person removed — made by hand or by the linker — is never made again automatically: a wrong
/// automatic link corrected by a reviewer stays corrected through every relink.
/// </remarks>
public sealed partial class RecordingLinker(
    NpgsqlDataSource dataSource,
    AuditTrail audit,
    IOptions<CasesOptions> options,
    TimeProvider time,
    ILogger<RecordingLinker> logger)
{
    public const string LinkerActor = "system:linker";

    /// <summary>Links one recording to every activity of its unit's cases it records; returns how many new links were made.</summary>
    public async Task<int> LinkRecordingAsync(Guid recordingId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var candidate = await LinkStore.CandidateAsync(connection, recordingId, cancellationToken);
        if (candidate?.Span.OfficerId is not { } officer)
        {
            return 0; // no officer or no start time: only a reviewer can place it
        }

        var span = candidate.Span;
        var activities = await LinkStore.ActivitiesOverlappingAsync(connection, officer, span.Start, span.End, options.Value.LinkSlack, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var cases = new Dictionary<Guid, CaseRecord?>();
        var linked = 0;
        foreach (var activity in activities)
        {
            if (!cases.TryGetValue(activity.CaseId, out var owner))
            {
                cases[activity.CaseId] = owner = await CaseStore.FindAsync(connection, transaction, activity.CaseId, cancellationToken);
            }

            if (!OfCaseUnit(candidate, owner))
            {
                LogNotLinkedAcrossUnits(recordingId, candidate.UnitCode, candidate.OfficerUnitCode, activity.ExternalId, owner?.CaseNumber, owner?.UnitCode);
                continue;
            }

            linked += await LinkAsync(connection, transaction, span, activity, cancellationToken) ? 1 : 0;
        }

        if (linked > 0)
        {
            await JobQueue.EnqueueAsync(connection, transaction, new JobRequest(JobKinds.Retention, recordingId, Priority: 5), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return linked;
    }

    /// <summary>
    /// Brings an activity's automatic links up to date after it was created or changed: links the
    /// recordings it now covers, and unlinks (with the reason) the ones it no longer does.
    /// Retention already applied is never shortened by an unlink.
    /// </summary>
    public async Task<(int Linked, int Unlinked)> LinkActivityAsync(Guid activityId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var activity = await CaseStore.ActivityAsync(connection, null, activityId, cancellationToken);
        if (activity is null)
        {
            return (0, 0);
        }

        var owner = await CaseStore.FindAsync(connection, null, activity.CaseId, cancellationToken);
        var candidates = await LinkStore.CandidatesAsync(connection, activity.Officers, activity.StartsAt, activity.EndsAt, options.Value.LinkSlack, cancellationToken);
        var otherUnits = candidates.Where(c => !OfCaseUnit(c, owner)).ToDictionary(c => c.Span.RecordingId);
        foreach (var candidate in otherUnits.Values)
        {
            LogNotLinkedAcrossUnits(candidate.Span.RecordingId, candidate.UnitCode, candidate.OfficerUnitCode, activity.ExternalId, owner?.CaseNumber, owner?.UnitCode);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var (linked, unlinked) = (0, 0);
        var touched = new HashSet<Guid>();
        var matching = new HashSet<Guid>();
        foreach (var span in candidates.Where(c => !otherUnits.ContainsKey(c.Span.RecordingId)).Select(c => c.Span))
        {
            matching.Add(span.RecordingId);
            if (await LinkAsync(connection, transaction, span, activity, cancellationToken))
            {
                linked++;
                touched.Add(span.RecordingId);
            }
        }

        foreach (var (linkId, recordingId) in await LinkStore.AutomaticLinksAsync(connection, transaction, activityId, cancellationToken))
        {
            if (!matching.Contains(recordingId))
            {
                var reason = otherUnits.TryGetValue(recordingId, out var other)
                    ? $"automatic links never cross units: the recording is of unit {other.LinkUnit ?? "(none)"}, the case of unit {owner?.UnitCode ?? "(none)"}"
                    : "the activity changed and no longer overlaps this recording's officer and time";
                await LinkStore.UnlinkAsync(connection, transaction, linkId, LinkerActor, reason, now, cancellationToken);
                await audit.AppendAsync(connection, transaction, new AuditEntry(LinkerActor, "recording.unlinked", "recording", recordingId.ToString(), new { linkId, activityId, reason }), cancellationToken);
                unlinked++;
                touched.Add(recordingId);
            }
        }

        foreach (var recordingId in touched)
        {
            await JobQueue.EnqueueAsync(connection, transaction, new JobRequest(JobKinds.Retention, recordingId, Priority: 5), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (linked, unlinked);
    }

    /// <summary>A reviewer links a recording to a case (and optionally a stage). The reason is required.</summary>
    public async Task<Guid> LinkManuallyAsync(Guid recordingId, string caseNumber, string? stageCode, string actor, string reason, CancellationToken cancellationToken)
    {
        RequireReason(reason);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var found = await CaseStore.FindAsync(connection, transaction, caseNumber, cancellationToken)
            ?? throw new CaseNotFoundException(caseNumber);
        Guid? stageId = null;
        if (stageCode is not null)
        {
            var stages = await CaseStore.EnsureStagesAsync(connection, transaction, found.Id, options.Value.StageTaxonomy, cancellationToken);
            stageId = stages.TryGetValue(stageCode, out var id) ? id : throw new ArgumentException($"'{stageCode}' is not a stage of case {caseNumber}.", nameof(stageCode));
        }

        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM recordings WHERE id = @recordingId AND disposed_at IS NULL)", new { recordingId }, transaction, cancellationToken: cancellationToken));
        if (!exists)
        {
            throw new ArgumentException($"Recording {recordingId} does not exist.", nameof(recordingId));
        }

        var linkId = await LinkManuallyAsync(connection, transaction, new ManualLink(recordingId, found.Id, found.CaseNumber, stageId, stageCode, null, null, actor, reason), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return linkId;
    }

    /// <summary>
    /// A person's link, in the caller's transaction: the caller has found the case, stage and activity and
    /// decided that this person may make it. Audited and followed by the retention job with it.
    /// </summary>
    public async Task<Guid> LinkManuallyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ManualLink link, CancellationToken cancellationToken)
    {
        RequireReason(link.Reason);
        var reason = link.Reason.Trim();
        var linkId = await LinkStore.LinkManuallyAsync(connection, transaction, link.RecordingId, link.CaseId, link.StageId, link.ActivityId, link.Actor, reason, time.GetUtcNow(), cancellationToken);
        await audit.AppendAsync(
            connection,
            transaction,
            new AuditEntry(link.Actor, "recording.linked", "recording", link.RecordingId.ToString(), new { linkId, caseNumber = link.CaseNumber, stage = link.StageCode, activity = link.ActivityExternalId, method = "manual", reason }),
            cancellationToken);
        await JobQueue.EnqueueAsync(connection, transaction, new JobRequest(JobKinds.Retention, link.RecordingId, Priority: 5), cancellationToken);
        LogLinkedByHand(link.RecordingId, link.CaseNumber, link.ActivityExternalId, link.Actor);
        return linkId;
    }

    /// <summary>A reviewer removes a link, with a reason. The link stays on record as unlinked; false when it was not live.</summary>
    public async Task<bool> UnlinkAsync(Guid linkId, string actor, string reason, CancellationToken cancellationToken)
    {
        RequireReason(reason);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await UnlinkAsync(connection, transaction, linkId, actor, reason, cancellationToken) is null)
        {
            return false;
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// A person's removal of a link of either method, in the caller's transaction; null when the link was not
    /// live. A removed automatic link is never made again by the linker (<see cref="LinkStore.LinkAutomaticallyAsync"/>).
    /// </summary>
    public async Task<UnlinkedLink?> UnlinkAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid linkId, string actor, string reason, CancellationToken cancellationToken)
    {
        RequireReason(reason);
        var why = reason.Trim();
        if (await LinkStore.UnlinkAsync(connection, transaction, linkId, actor, why, time.GetUtcNow(), cancellationToken) is not { } link)
        {
            return null;
        }

        await audit.AppendAsync(
            connection,
            transaction,
            new AuditEntry(actor, "recording.unlinked", "recording", link.RecordingId.ToString(), new { linkId, caseId = link.CaseId, caseNumber = link.CaseNumber, activity = link.ActivityExternalId, method = link.Method, reason = why }),
            cancellationToken);
        await JobQueue.EnqueueAsync(connection, transaction, new JobRequest(JobKinds.Retention, link.RecordingId, Priority: 5), cancellationToken);
        LogUnlinkedByHand(link.RecordingId, link.CaseNumber, link.Method, actor);
        return link;
    }

    private async Task<bool> LinkAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RecordingSpan span, ActivityRecord activity, CancellationToken cancellationToken)
    {
        var linkId = await LinkStore.LinkAutomaticallyAsync(connection, transaction, span.RecordingId, activity, time.GetUtcNow(), cancellationToken);
        if (linkId is null)
        {
            return false;
        }

        await audit.AppendAsync(
            connection,
            transaction,
            new AuditEntry(LinkerActor, "recording.linked", "recording", span.RecordingId.ToString(), new { linkId, caseId = activity.CaseId, stage = activity.StageCode, activity = activity.ExternalId, method = "auto", span.Start, span.End }),
            cancellationToken);
        LogLinked(span.RecordingId, activity.ExternalId, activity.StageCode);
        return true;
    }

    /// <summary>The unit rule: the recording's own unit, or for one of none its officer's registered unit, is the case's.</summary>
    private static bool OfCaseUnit(LinkCandidate candidate, CaseRecord? owner) =>
        owner?.UnitCode is { } unit && candidate.LinkUnit == unit;

    private static void RequireReason(string reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("A link change needs a reason.", nameof(reason));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Linked recording {RecordingId} to activity {ActivityId} in stage {Stage}")]
    private partial void LogLinked(Guid recordingId, string activityId, string stage);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId} linked by hand to case {CaseNumber}, activity {ActivityId}, by {Actor}")]
    private partial void LogLinkedByHand(Guid recordingId, string caseNumber, string? activityId, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "A {Method} link of recording {RecordingId} to case {CaseNumber} removed by {Actor}")]
    private partial void LogUnlinkedByHand(Guid recordingId, string caseNumber, string method, string actor);

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "Recording {RecordingId} (unit {RecordingUnit}, officer's registered unit {OfficerUnit}) matches activity {ActivityId} of case {CaseNumber} of unit {CaseUnit} but is not linked: automatic links never cross units")]
    private partial void LogNotLinkedAcrossUnits(Guid recordingId, string? recordingUnit, string? officerUnit, string activityId, string? caseNumber, string? caseUnit);
}
