using Dapper;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Catalogue;
using Npgsql;

namespace Enforcement.Media.Player.Cases;

/// <summary>
/// SQL behind the reviewers' case pages. A user sees the cases of their unit and the cases assigned
/// to them — the same rule that decides which recordings they may see.
/// </summary>
public sealed class CaseQueries(NpgsqlDataSource dataSource)
{
    /// <summary>Visible cases matching the filter, newest first.</summary>
    public async Task<IReadOnlyList<CaseHit>> SearchAsync(CaseFilter filter, Guid userId, string? unitCode, int limit, CancellationToken cancellationToken)
    {
        // strpos, not LIKE: what a user types is text to find, never a pattern (no % or _ wildcards).
        const string sql = $"""
            SELECT c.case_number, c.subject, c.enforcement_type, c.status, c.unit_code, c.opened_at, c.closed_at,
                   (SELECT count(DISTINCT l.recording_id) FROM recording_links l
                    WHERE l.case_id = c.id AND l.unlinked_at IS NULL) AS recordings
            FROM cases c
            WHERE {CaseVisibility.Predicate}
              AND (@caseNumber::text IS NULL OR strpos(lower(c.case_number), lower(@caseNumber)) > 0)
              AND (@officer::text IS NULL
                   OR EXISTS (SELECT 1 FROM case_activities a WHERE a.case_id = c.id AND @officer = ANY(a.officers))
                   OR EXISTS (SELECT 1 FROM recording_links l JOIN recordings r ON r.id = l.recording_id
                              WHERE l.case_id = c.id AND l.unlinked_at IS NULL AND r.officer_id = @officer))
              AND (@deviceSerial::text IS NULL
                   OR EXISTS (SELECT 1 FROM recording_links l JOIN recordings r ON r.id = l.recording_id
                              WHERE l.case_id = c.id AND l.unlinked_at IS NULL AND r.device_serial = @deviceSerial))
              AND (@from::timestamptz IS NULL OR coalesce(c.closed_at, 'infinity') >= @from)
              AND (@to::timestamptz IS NULL OR c.opened_at < @to)
            ORDER BY c.opened_at DESC, c.case_number
            LIMIT @limit
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<HitRow>(new CommandDefinition(
            sql,
            new
            {
                viewerId = userId,
                viewerUnit = unitCode,
                caseNumber = filter.CaseNumber,
                officer = filter.Officer,
                deviceSerial = filter.DeviceSerial,
                from = filter.From?.UtcDateTime,
                to = filter.To?.UtcDateTime,
                limit,
            },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new CaseHit(r.CaseNumber, r.Subject, r.EnforcementType, r.Status, r.UnitCode, Utc.From(r.OpenedAt), Utc.From(r.ClosedAt), r.Recordings))];
    }

    /// <summary>True when the case exists and the user may see it.</summary>
    public async Task<bool> MaySeeAsync(string caseNumber, Guid userId, string? unitCode, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT EXISTS (
                SELECT 1 FROM cases c
                WHERE c.case_number = @caseNumber AND {CaseVisibility.Predicate})
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { caseNumber, viewerId = userId, viewerUnit = unitCode }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<CaseStage>> StagesAsync(Guid caseId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT stage_code AS code, ordinal, name FROM case_stages WHERE case_id = @caseId ORDER BY ordinal";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<CaseStage>(new CommandDefinition(sql, new { caseId }, cancellationToken: cancellationToken))];
    }

    /// <summary>The stage each live link without an activity puts a recording in (null: linked to the case only).</summary>
    public async Task<IReadOnlyDictionary<Guid, string?>> UnplacedStagesAsync(Guid caseId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT DISTINCT ON (l.recording_id) l.recording_id, s.stage_code
            FROM recording_links l LEFT JOIN case_stages s ON s.id = l.stage_id
            WHERE l.case_id = @caseId AND l.unlinked_at IS NULL AND l.activity_id IS NULL
            ORDER BY l.recording_id, l.linked_at DESC
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(Guid RecordingId, string? StageCode)>(new CommandDefinition(sql, new { caseId }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.RecordingId, r => r.StageCode);
    }

    private sealed record HitRow(string CaseNumber, string? Subject, string? EnforcementType, string Status, string? UnitCode, DateTime OpenedAt, DateTime? ClosedAt, long Recordings);
}
