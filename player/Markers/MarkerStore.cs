using Dapper;
using Enforcement.Media.Storage.Catalogue;
using Npgsql;

namespace Enforcement.Media.Player.Markers;

/// <summary>SQL for markers (0012): inserted, listed, never changed.</summary>
public sealed class MarkerStore(NpgsqlDataSource dataSource)
{
    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Marker marker, Guid userId, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO recording_markers (id, recording_id, at_seconds, note, created_by, created_by_actor, created_at)
            VALUES (@Id, @RecordingId, @AtSeconds, @Note, @userId, @CreatedBy, @CreatedAt)
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new { marker.Id, marker.RecordingId, marker.AtSeconds, marker.Note, userId, marker.CreatedBy, CreatedAt = marker.CreatedAt.UtcDateTime },
            transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>A recording's markers by position, then by when they were made.</summary>
    public async Task<IReadOnlyList<Marker>> OfRecordingAsync(Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, recording_id, at_seconds, note, created_by_actor AS created_by, created_at
            FROM recording_markers WHERE recording_id = @recordingId
            ORDER BY at_seconds, id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<MarkerRow>(new CommandDefinition(sql, new { recordingId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new Marker(r.Id, r.RecordingId, r.AtSeconds, r.Note, r.CreatedBy, Utc.From(r.CreatedAt)))];
    }

    private sealed record MarkerRow(Guid Id, Guid RecordingId, double AtSeconds, string Note, string CreatedBy, DateTime CreatedAt);
}
