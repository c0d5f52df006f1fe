using Dapper;
using Enforcement.Media.Player.Visibility;
using Npgsql;

namespace Enforcement.Media.Player.Links;

/// <summary>
/// SQL behind links made by hand, each in the caller's transaction: the recording (locked, so two changes of
/// one recording's links wait for each other) and the case as the user may see them, the activity, the unit
/// tree, a link already there, and a link to remove.
/// </summary>
public static class LinkQueries
{
    /// <summary>The recording, locked until the transaction ends, when the viewer may see it; null otherwise.</summary>
    public static async Task<LinkableRecording?> LockVisibleRecordingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Viewer viewer, Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT r.id, r.unit_code, o.unit_code AS officer_unit_code
            FROM recordings r LEFT JOIN officers o ON o.officer_id = r.officer_id
            WHERE r.id = @recordingId AND {RecordingVisibility.Predicate}
            FOR NO KEY UPDATE OF r
            """;
        return await connection.QuerySingleOrDefaultAsync<LinkableRecording>(new CommandDefinition(
            sql, new { recordingId, viewerId = viewer.UserId, viewerUnit = viewer.UnitCode }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The case with this number when the viewer may see it; null otherwise (unknown and hidden alike).</summary>
    public static async Task<LinkableCase?> VisibleCaseAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Viewer viewer, string caseNumber, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT c.id, c.case_number, c.unit_code, c.status FROM cases c
            WHERE c.case_number = @caseNumber AND {CaseVisibility.Predicate}
            """;
        return await connection.QuerySingleOrDefaultAsync<LinkableCase>(new CommandDefinition(
            sql, new { caseNumber, viewerId = viewer.UserId, viewerUnit = viewer.UnitCode }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The case's activity with this id (as the case system gave it), with its stage; null when the case has none such.</summary>
    public static async Task<LinkableActivity?> ActivityAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid caseId, string externalId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT a.id, a.external_id, a.stage_id, s.stage_code
            FROM case_activities a JOIN case_stages s ON s.id = a.stage_id
            WHERE a.case_id = @caseId AND a.external_id = @externalId
            """;
        return await connection.QuerySingleOrDefaultAsync<LinkableActivity>(new CommandDefinition(sql, new { caseId, externalId }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Whether <paramref name="viewerUnit"/> is <paramref name="unit"/> or a unit above it in the tree.</summary>
    public static async Task<bool> IsOfUnitAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string viewerUnit, string unit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT @viewerUnit = @unit OR EXISTS (SELECT 1 FROM unit_ancestry WHERE ancestor_code = @viewerUnit AND descendant_code = @unit)
            """;
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { viewerUnit, unit }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>A live link (either method) already tying the recording to this activity — or, with none, to this stage or the case alone.</summary>
    public static async Task<Guid?> ExistingAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid recordingId, Guid caseId, Guid? activityId, Guid? stageId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id FROM recording_links
            WHERE recording_id = @recordingId AND case_id = @caseId AND unlinked_at IS NULL
              AND activity_id IS NOT DISTINCT FROM @activityId
              AND (@activityId::uuid IS NOT NULL OR stage_id IS NOT DISTINCT FROM @stageId)
            ORDER BY linked_at
            LIMIT 1
            """;
        return await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(sql, new { recordingId, caseId, activityId, stageId }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>One of the recording's links, live or not, and whether the viewer may see its case; null when the recording has no such link.</summary>
    public static async Task<LinkToRemove?> LinkOfRecordingAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Viewer viewer, Guid recordingId, Guid linkId, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT l.id, l.method, l.unlinked_at, l.unlinked_by, {CaseVisibility.Predicate} AS case_visible
            FROM recording_links l JOIN cases c ON c.id = l.case_id
            WHERE l.id = @linkId AND l.recording_id = @recordingId
            """;
        return await connection.QuerySingleOrDefaultAsync<LinkToRemove>(new CommandDefinition(
            sql, new { linkId, recordingId, viewerId = viewer.UserId, viewerUnit = viewer.UnitCode }, transaction, cancellationToken: cancellationToken));
    }
}
