using System.Security.Claims;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Recordings;
using Enforcement.Media.Storage.Audit;
using Npgsql;

namespace Enforcement.Media.Player.Markers;

/// <summary>
/// Adds markers: checks the input, that the user may see the recording, and writes the marker and its
/// audit event (subject: the recording, so it is part of the chain of custody) in one transaction.
/// </summary>
public sealed partial class MarkerService(NpgsqlDataSource dataSource, RecordingAccess visibility, AuditTrail audit, TimeProvider time, ILogger<MarkerService> logger)
{
    /// <summary>A note long enough for any finding, short enough that nobody pastes a document into the audit trail.</summary>
    public const int MaxNoteLength = 2000;

    /// <summary>The new marker, or null when the recording does not exist for this user (not visible, or none).</summary>
    public async Task<Marker?> AddAsync(ClaimsPrincipal user, Guid recordingId, NewMarker body, CancellationToken cancellationToken)
    {
        var (atSeconds, note) = Validate(body);
        if (!await visibility.MaySeeAsync(user, recordingId, cancellationToken))
        {
            return null;
        }

        var marker = new Marker(Guid.CreateVersion7(time.GetUtcNow()), recordingId, atSeconds, note, user.Actor(), time.GetUtcNow());
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await MarkerStore.InsertAsync(connection, transaction, marker, user.UserId(), cancellationToken);
        await audit.AppendAsync(
            connection,
            transaction,
            new AuditEntry(marker.CreatedBy, "recording.marker_added", "recording", recordingId.ToString(), new { markerId = marker.Id, marker.AtSeconds, marker.Note }),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogAdded(logger, marker.Id, recordingId, marker.AtSeconds);
        return marker;
    }

    private static (double AtSeconds, string Note) Validate(NewMarker body)
    {
        if (body.AtSeconds is not { } at || !double.IsFinite(at) || at < 0)
        {
            throw new MarkerInputException("atSeconds", "Give the position in seconds from the start, a number of 0 or more.");
        }

        var note = body.Note?.Trim();
        if (string.IsNullOrEmpty(note))
        {
            throw new MarkerInputException("note", "A marker needs a note that says what is at this moment.");
        }

        if (note.Length > MaxNoteLength)
        {
            throw new MarkerInputException("note", $"The note is {note.Length} characters long; at most {MaxNoteLength} are kept.");
        }

        return (Math.Round(at, 3), note);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Marker {MarkerId} added to recording {RecordingId} at {AtSeconds} s")]
    private static partial void LogAdded(ILogger logger, Guid markerId, Guid recordingId, double atSeconds);
}
