using Enforcement.Media.Player.Recordings;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Cases;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Player.Links;

/// <summary>
/// Links made and removed by hand, for the API and the pages alike. A person links a recording they may see
/// to an activity (or a stage, or the case alone) of a case they may see, with a reason; the same link twice
/// is the one already there. Footage reaches a case of another unit only when a person of the footage's own
/// unit (or a unit above it) links it — the rule the automatic linker keeps by never crossing units. Any live
/// link, an automatic one too, may be removed with a reason, and the linker never makes it again. Everything
/// is checked in the transaction that changes the link (<see cref="RecordingLinker"/> audits it and queues
/// the retention job with it), so what completeness and retention read follows at once.
/// </summary>
public sealed class RecordingLinkService(NpgsqlDataSource dataSource, RecordingLinker linker, RecordingQueries recordings, IOptions<CasesOptions> cases)
{
    public const int MaxReasonLength = 2000;

    public const int MaxTextLength = 200;

    /// <summary>The recording's live links; refused as not found when the viewer may not see it.</summary>
    public async Task<IReadOnlyList<RecordingLink>> LinksAsync(Viewer viewer, Guid recordingId, CancellationToken cancellationToken)
    {
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            if (!await RecordingVisibility.IsVisibleAsync(connection, null, viewer, recordingId, cancellationToken))
            {
                throw LinkRefusedException.NoSuchRecording();
            }
        }

        return await recordings.LinksAsync(recordingId, cancellationToken);
    }

    /// <summary>The case the viewer may link to, by its number, with its activities in time order; null when there is none they may see.</summary>
    public async Task<(LinkableCase Case, IReadOnlyList<ActivityRecord> Activities)?> CaseAsync(Viewer viewer, string caseNumber, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await LinkQueries.VisibleCaseAsync(connection, null, viewer, caseNumber.Trim(), cancellationToken) is not { } found)
        {
            return null;
        }

        var activities = await CaseStore.ActivitiesAsync(connection, null, found.Id, cancellationToken);
        return (found, [.. activities.OrderBy(a => a.StartsAt).ThenBy(a => a.ExternalId, StringComparer.Ordinal)]);
    }

    /// <summary>Links the recording as asked; <c>Created</c> is false when a live link to the same place was there already (it is returned, unchanged).</summary>
    public async Task<(RecordingLink Link, bool Created)> LinkAsync(Viewer viewer, Guid recordingId, NewLink body, CancellationToken cancellationToken)
    {
        var reason = Reason(body.Reason);
        var caseNumber = Text(body.CaseNumber, "caseNumber") ?? throw new LinkRefusedException(Refusal.Invalid, "Name the case by its number.", "caseNumber");
        var activityId = Text(body.ActivityId, "activityId");
        var stage = Text(body.Stage, "stage");

        Guid linkId;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var recording = await LinkQueries.LockVisibleRecordingAsync(connection, transaction, viewer, recordingId, cancellationToken)
                ?? throw LinkRefusedException.NoSuchRecording();
            var found = await LinkQueries.VisibleCaseAsync(connection, transaction, viewer, caseNumber, cancellationToken)
                ?? throw new LinkRefusedException(Refusal.NotFound, $"There is no case {caseNumber} among those you may see.", "caseNumber");
            var (activity, stageId, stageCode) = await PlaceAsync(connection, transaction, found, activityId, stage, cancellationToken);
            await RequireOwnUnitAcrossUnitsAsync(connection, transaction, viewer, recording, found, cancellationToken);

            if (await LinkQueries.ExistingAsync(connection, transaction, recordingId, found.Id, activity?.Id, stageId, cancellationToken) is { } existing)
            {
                linkId = existing;
            }
            else
            {
                linkId = await linker.LinkManuallyAsync(
                    connection, transaction, new ManualLink(recordingId, found.Id, found.CaseNumber, stageId, stageCode, activity?.Id, activity?.ExternalId, viewer.Actor, reason), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return (await ViewAsync(recordingId, linkId, cancellationToken), true);
            }
        }

        return (await ViewAsync(recordingId, linkId, cancellationToken), false);
    }

    /// <summary>Removes a live link of the recording, an automatic one too, with a reason; the link stays on record as removed.</summary>
    public async Task UnlinkAsync(Viewer viewer, Guid recordingId, Guid linkId, string? reason, CancellationToken cancellationToken)
    {
        var why = Reason(reason);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        _ = await LinkQueries.LockVisibleRecordingAsync(connection, transaction, viewer, recordingId, cancellationToken) ?? throw LinkRefusedException.NoSuchRecording();

        // A link to a case the viewer may not see is answered as no link at all: that case is not theirs to change.
        var link = await LinkQueries.LinkOfRecordingAsync(connection, transaction, viewer, recordingId, linkId, cancellationToken);
        if (link is not { CaseVisible: true })
        {
            throw new LinkRefusedException(Refusal.NotFound, "The recording has no such link to a case you may see.");
        }

        if (link.UnlinkedAt is not null || await linker.UnlinkAsync(connection, transaction, linkId, viewer.Actor, why, cancellationToken) is null)
        {
            throw new LinkRefusedException(Refusal.Conflict, $"That link was removed already{(link.UnlinkedBy is null ? string.Empty : $" by {link.UnlinkedBy} at {link.UnlinkedAt:u}")}.");
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Every reason is stated (事由): not empty, not only white space, and not a wall of text.</summary>
    public static string Reason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new LinkRefusedException(Refusal.Invalid, "A reason is required: why the footage belongs there, or not.", "reason");
        }

        var trimmed = reason.Trim();
        return trimmed.Length <= MaxReasonLength ? trimmed : throw new LinkRefusedException(Refusal.Invalid, $"A reason is at most {MaxReasonLength} characters.", "reason");
    }

    /// <summary>The activity (its stage with it), or the stage, the link names; both null for the case alone.</summary>
    private async Task<(LinkableActivity? Activity, Guid? StageId, string? StageCode)> PlaceAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, LinkableCase found, string? activityId, string? stage, CancellationToken cancellationToken)
    {
        if (activityId is not null)
        {
            var activity = await LinkQueries.ActivityAsync(connection, transaction, found.Id, activityId, cancellationToken)
                ?? throw new LinkRefusedException(Refusal.NotFound, $"Case {found.CaseNumber} has no activity {activityId}.", "activityId");
            return stage is null || stage == activity.StageCode
                ? (activity, activity.StageId, activity.StageCode)
                : throw new LinkRefusedException(Refusal.Invalid, $"Activity {activityId} is in stage {activity.StageCode}, not {stage}: name the activity alone.", "stage");
        }

        if (stage is null)
        {
            return (null, null, null);
        }

        var stages = await CaseStore.EnsureStagesAsync(connection, transaction, found.Id, cases.Value.StageTaxonomy, cancellationToken);
        return stages.TryGetValue(stage, out var stageId)
            ? (null, stageId, stage)
            : throw new LinkRefusedException(Refusal.Invalid, $"'{stage}' is not a stage; the stages are {string.Join(", ", stages.Keys)}.", "stage");
    }

    /// <summary>
    /// A link shows the footage to the case's unit. Across units that is for a person of the footage's own unit
    /// (or a unit above it) to decide, never for someone who sees the footage only through another case.
    /// </summary>
    private static async Task RequireOwnUnitAcrossUnitsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Viewer viewer, LinkableRecording recording, LinkableCase found, CancellationToken cancellationToken)
    {
        var footageUnit = recording.FootageUnit;
        if (footageUnit is not null && footageUnit == found.UnitCode)
        {
            return;
        }

        if (footageUnit is null || viewer.UnitCode is null || !await LinkQueries.IsOfUnitAsync(connection, transaction, viewer.UnitCode, footageUnit, cancellationToken))
        {
            throw new LinkRefusedException(
                Refusal.NotAllowed,
                $"This footage is of {(footageUnit is null ? "no unit" : $"unit {footageUnit}")} and case {found.CaseNumber} of {(found.UnitCode is null ? "no unit" : $"unit {found.UnitCode}")}: footage reaches another unit's case only when a person of the footage's own unit links it.");
        }
    }

    private async Task<RecordingLink> ViewAsync(Guid recordingId, Guid linkId, CancellationToken cancellationToken) =>
        (await recordings.LinksAsync(recordingId, cancellationToken)).Single(l => l.LinkId == linkId);

    private static string? Text(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        return trimmed.Length <= MaxTextLength ? trimmed : throw new LinkRefusedException(Refusal.Invalid, $"The {field} is at most {MaxTextLength} characters.", field);
    }
}
