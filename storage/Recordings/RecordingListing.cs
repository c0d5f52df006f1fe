using Dapper;
using Npgsql;

namespace Enforcement.Media.Storage.Recordings;

/// <summary>Read-only listings of what the archive holds, for operators.</summary>
public sealed class RecordingListing(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<RecordingSummary>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT r.id, r.original_name, r.sha256, r.size_bytes, r.device_serial, r.officer_id, r.recorder_started_at,
                   r.media_state, p.duration_seconds, r.quarantine_reason,
                   (SELECT count(*) FROM recording_sources s WHERE s.recording_id = r.id)::int AS sources,
                   coalesce((SELECT array_agg(DISTINCT c.case_number ORDER BY c.case_number)
                             FROM recording_links l JOIN cases c ON c.id = l.case_id
                             WHERE l.recording_id = r.id AND l.unlinked_at IS NULL), '{}') AS cases,
                   r.ingested_at
            FROM recordings r LEFT JOIN media_probes p ON p.recording_id = r.id
            WHERE r.disposed_at IS NULL
            ORDER BY r.ingested_at DESC, r.id
            LIMIT @limit
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync(new CommandDefinition(sql, new { limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new RecordingSummary(
            r.id, r.original_name, r.sha256, r.size_bytes, r.device_serial, r.officer_id, r.recorder_started_at,
            r.media_state, r.duration_seconds, r.quarantine_reason, r.sources, (string[])r.cases, r.ingested_at))];
    }

    /// <summary>
    /// Recordings (disposed of or not) whose id ends in the hex digits <paramref name="digits"/>, at most
    /// <paramref name="limit"/>: how an operator's short id is read back. It reads every id (no index serves an
    /// id's end), which on a catalogue of millions takes a moment — an operator's command, not a page.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> EndingWithAsync(string digits, int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id FROM recordings
            WHERE right(replace(id::text, '-', ''), length(@digits)) = @digits
            ORDER BY id
            LIMIT @limit
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<Guid>(new CommandDefinition(sql, new { digits, limit }, cancellationToken: cancellationToken))];
    }
}
