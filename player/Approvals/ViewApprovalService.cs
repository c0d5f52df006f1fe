using Enforcement.Media.Player.Playback;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Audit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Player.Approvals;

/// <summary>
/// Approvals to view classified footage: a user who may see a recording asks, with a reason;
/// a supervisor who may see it too, never the requester, approves (for that user and recording, until it
/// expires) or denies, with a reason. Every step, and every refused decision, is an audit event with the
/// recording as subject, committed with the change it describes.
/// </summary>
public sealed class ViewApprovalService(NpgsqlDataSource dataSource, AuditTrail audit, IOptions<PlaybackOptions> options, TimeProvider time)
{
    public async Task<Guid> RequestAsync(Viewer requester, Guid recordingId, string? reason, CancellationToken cancellationToken)
    {
        var why = Reasons.Require(reason, "reason", options.Value.MaxReasonLength);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var recording = await PlaybackStore.RecordingAsync(connection, transaction, requester, recordingId, cancellationToken);
        if (recording is not { Visible: true })
        {
            throw PlaybackRefusedException.NoSuchRecording();
        }

        if (recording.Classification == Classification.Normal)
        {
            throw new PlaybackRefusedException(Refusal.Conflict, "This recording is not classified: viewing it needs a reason, not an approval.");
        }

        var id = Guid.CreateVersion7(time.GetUtcNow());
        await ViewApprovalStore.InsertAsync(connection, transaction, id, recordingId, requester.UserId, requester.Actor, time.GetUtcNow(), why, recording.Classification, cancellationToken);
        await audit.AppendAsync(connection, transaction, new AuditEntry(requester.Actor, "viewing.approval-requested", "recording", recordingId.ToString(), new { approval = id, reason = why, classification = recording.Classification }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    public async Task DecideAsync(Guid approvalId, Viewer decider, bool? approve, string? reason, CancellationToken cancellationToken)
    {
        if (approve is not { } approved)
        {
            throw new PlaybackRefusedException(Refusal.Invalid, "Say whether you approve (true or false).", "approve");
        }

        var why = Reasons.Require(reason, "reason", options.Value.MaxReasonLength);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var request = await ViewApprovalStore.LockAsync(connection, transaction, approvalId, cancellationToken)
            ?? throw new PlaybackRefusedException(Refusal.NotFound, "There is no such approval request.");
        var subject = request.RecordingId.ToString();
        string? refusal = null;
        if (request.RequestedBy == decider.UserId)
        {
            refusal = "You may not decide on your own request; another supervisor must.";
        }
        else if (!await RecordingVisibility.IsVisibleAsync(connection, transaction, decider, request.RecordingId, cancellationToken))
        {
            // A supervisor judges only footage they may see themselves: their unit's, or their cases'.
            refusal = "This recording is outside what you may see; a supervisor of its unit must decide.";
        }

        if (refusal is not null)
        {
            await audit.AppendAsync(connection, transaction, new AuditEntry(decider.Actor, "viewing.approval-decision-refused", "recording", subject, new { approval = approvalId, approve = approved, reason = why, why = refusal }), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            throw new PlaybackRefusedException(Refusal.NotAllowed, refusal);
        }

        if (request.State != ApprovalState.Requested)
        {
            throw new PlaybackRefusedException(Refusal.Conflict, $"This request was already decided (it is {request.State}).");
        }

        var now = time.GetUtcNow();
        DateTimeOffset? expiresAt = approved ? now + options.Value.ApprovalLifetime : null;
        var classification = await ViewApprovalStore.DecideAsync(
            connection, transaction, approvalId, approved ? ApprovalState.Approved : ApprovalState.Denied, decider.UserId, decider.Actor, now, why, expiresAt, cancellationToken);
        await audit.AppendAsync(
            connection,
            transaction,
            new AuditEntry(decider.Actor, approved ? "viewing.approved" : "viewing.denied", "recording", subject, new { approval = approvalId, reason = why, expiresAt, classification }),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
