using Enforcement.Media.Player.Playback;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Recordings;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Player.Approvals;

/// <summary>
/// Sets a recording's classification, with a reason, audited with the old and new value. Records managers
/// classify any recording (they keep the records); a supervisor only one they may see. The recording's row
/// is storage's to change (<see cref="RecordingStore"/>); this decides who may and audits it.
/// </summary>
public sealed class ClassificationService(NpgsqlDataSource dataSource, AuditTrail audit, IOptions<PlaybackOptions> options)
{
    public async Task SetAsync(Guid recordingId, Viewer actor, bool anyRecording, string? classification, string? reason, CancellationToken cancellationToken)
    {
        var value = classification?.Trim();
        if (value is null || !Classification.All.Contains(value))
        {
            throw new PlaybackRefusedException(Refusal.Invalid, $"The classification is one of: {string.Join(", ", Classification.All)}.", "classification");
        }

        var why = Reasons.Require(reason, "reason", options.Value.MaxReasonLength);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await RecordingStore.LockClassificationAsync(connection, transaction, recordingId, cancellationToken);
        if (before is null || (!anyRecording && !await RecordingVisibility.IsVisibleAsync(connection, transaction, actor, recordingId, cancellationToken)))
        {
            // A supervisor is told no more about another unit's recording than about one that does not exist.
            throw PlaybackRefusedException.NoSuchRecording();
        }

        await RecordingStore.SetClassificationAsync(connection, transaction, recordingId, value, cancellationToken);
        await audit.AppendAsync(connection, transaction, new AuditEntry(actor.Actor, "recording.classification-changed", "recording", recordingId.ToString(), new { from = before, to = value, reason = why }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
