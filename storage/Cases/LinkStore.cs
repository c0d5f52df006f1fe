using Dapper;
using Enforcement.Media.Storage.Catalogue;
using Npgsql;

namespace Enforcement.Media.Storage.Cases;

/// <summary>SQL for recording spans and recording-to-case links. Links are never deleted, only marked unlinked.</summary>
public static class LinkStore
{
    // True start = recorder clock + (station clock − recorder clock); duration from the probe
    // (unprobed, unplayable and photos count as an instant).
    private const string SpanColumns = """
        r.id AS recording_id, r.original_name, r.device_serial, r.officer_id,
        r.recorder_started_at + make_interval(secs => coalesce(r.recorder_clock_offset_seconds, 0)) AS start,
        coalesce(p.duration_seconds, 0) AS duration_seconds
        """;

    // A recording's span with its own unit and its officer's unit in the registry, for the linker's unit rule.
    private const string CandidateColumns = $"{SpanColumns}, r.unit_code, o.unit_code AS officer_unit_code";

    private const string CandidateSource = """
        recordings r
        LEFT JOIN media_probes p ON p.recording_id = r.id
        LEFT JOIN officers o ON o.officer_id = r.officer_id
        """;

    public static async Task<LinkCandidate?> CandidateAsync(NpgsqlConnection connection, Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT {CandidateColumns}
            FROM {CandidateSource}
            WHERE r.id = @recordingId AND r.recorder_started_at IS NOT NULL AND r.disposed_at IS NULL
            """;
        var row = await connection.QuerySingleOrDefaultAsync<CandidateRow>(new CommandDefinition(sql, new { recordingId }, cancellationToken: cancellationToken));
        return row?.ToCandidate();
    }

    /// <summary>Recordings of these officers that overlap the window widened by the slack.</summary>
    public static async Task<IReadOnlyList<LinkCandidate>> CandidatesAsync(
        NpgsqlConnection connection, IReadOnlyList<string> officers, DateTimeOffset from, DateTimeOffset to, TimeSpan slack, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT * FROM (
                SELECT {CandidateColumns}
                FROM {CandidateSource}
                WHERE r.officer_id = ANY(@officers) AND r.recorder_started_at IS NOT NULL AND r.disposed_at IS NULL
            ) s
            WHERE s.start <= @to AND s.start + make_interval(secs => s.duration_seconds) >= @from
            ORDER BY s.start
            """;
        var rows = await connection.QueryAsync<CandidateRow>(new CommandDefinition(
            sql, new { officers = officers.ToArray(), from = (from - slack).UtcDateTime, to = (to + slack).UtcDateTime }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToCandidate())];
    }

    /// <summary>Activities naming this officer whose window overlaps the span widened by the slack.</summary>
    public static async Task<IReadOnlyList<ActivityRecord>> ActivitiesOverlappingAsync(
        NpgsqlConnection connection, string officerId, DateTimeOffset from, DateTimeOffset to, TimeSpan slack, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT a.id, a.case_id, a.stage_id, s.stage_code, a.external_id, a.activity_type AS type,
                   a.starts_at, a.ends_at, a.place, a.officers
            FROM case_activities a JOIN case_stages s ON s.id = a.stage_id
            WHERE @officerId = ANY(a.officers) AND a.starts_at <= @to AND a.ends_at >= @from
            """;
        var rows = await connection.QueryAsync<ActivityRow>(new CommandDefinition(
            sql, new { officerId, from = (from - slack).UtcDateTime, to = (to + slack).UtcDateTime }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>
    /// Adds an automatic link unless a live one (either method) already ties the recording to the activity,
    /// or a person removed such a link: a correction made by hand is not undone by the next relink.
    /// </summary>
    public static async Task<Guid?> LinkAutomaticallyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid recordingId, ActivityRecord activity, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO recording_links (id, recording_id, case_id, stage_id, activity_id, method, reason, linked_by, linked_at)
            SELECT @Id, @recordingId, @CaseId, @StageId, @ActivityId, 'auto', @Reason, 'system:linker', @Now
            WHERE NOT EXISTS (SELECT 1 FROM recording_links x
                              WHERE x.recording_id = @recordingId AND x.activity_id = @ActivityId
                                AND (x.unlinked_at IS NULL OR x.unlinked_by <> 'system:linker'))
            ON CONFLICT (recording_id, activity_id) WHERE unlinked_at IS NULL AND method = 'auto' DO NOTHING
            RETURNING id
            """;
        return await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            sql,
            new
            {
                Id = Guid.CreateVersion7(now),
                recordingId,
                activity.CaseId,
                activity.StageId,
                ActivityId = activity.Id,
                Reason = $"officer and time overlap {activity.Type} {activity.ExternalId}",
                Now = now.UtcDateTime,
            },
            transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>A person's link to the case, and within it to an activity or a stage (both null: the case only).</summary>
    public static async Task<Guid> LinkManuallyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid recordingId, Guid caseId, Guid? stageId, Guid? activityId, string actor, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO recording_links (id, recording_id, case_id, stage_id, activity_id, method, reason, linked_by, linked_at)
            VALUES (@Id, @recordingId, @caseId, @stageId, @activityId, 'manual', @reason, @actor, @Now)
            """;
        var id = Guid.CreateVersion7(now);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { Id = id, recordingId, caseId, stageId, activityId, reason, actor, Now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken));
        return id;
    }

    /// <summary>Marks a live link unlinked; returns what it tied and how it was made, or null when there was no live link.</summary>
    public static async Task<UnlinkedLink?> UnlinkAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid linkId, string actor, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE recording_links SET unlinked_by = @actor, unlinked_at = @Now, unlink_reason = @reason
            WHERE id = @linkId AND unlinked_at IS NULL
            RETURNING recording_id, case_id, (SELECT c.case_number FROM cases c WHERE c.id = recording_links.case_id) AS case_number,
                      activity_id, (SELECT a.external_id FROM case_activities a WHERE a.id = recording_links.activity_id) AS activity_external_id, method
            """;
        return await connection.QuerySingleOrDefaultAsync<UnlinkedLink>(new CommandDefinition(sql, new { linkId, actor, reason, Now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Live automatic links of an activity (to drop the ones that no longer match after it changed).</summary>
    public static async Task<IReadOnlyList<(Guid LinkId, Guid RecordingId)>> AutomaticLinksAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid activityId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT id, recording_id FROM recording_links WHERE activity_id = @activityId AND method = 'auto' AND unlinked_at IS NULL";
        return [.. await connection.QueryAsync<(Guid, Guid)>(new CommandDefinition(sql, new { activityId }, transaction, cancellationToken: cancellationToken))];
    }

    /// <summary>Spans of every recording linked to the case, with the activity each link names (null: linked to the case or a stage only).</summary>
    public static async Task<IReadOnlyList<(Guid? ActivityId, RecordingSpan Span)>> LinkedSpansAsync(NpgsqlConnection connection, Guid caseId, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT l.activity_id, {SpanColumns}
            FROM recording_links l
            JOIN recordings r ON r.id = l.recording_id
            LEFT JOIN media_probes p ON p.recording_id = r.id
            WHERE l.case_id = @caseId AND l.unlinked_at IS NULL AND r.recorder_started_at IS NOT NULL AND r.disposed_at IS NULL
            """;
        var rows = await connection.QueryAsync<LinkedSpanRow>(new CommandDefinition(sql, new { caseId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => (r.ActivityId, new SpanRow(r.RecordingId, r.OriginalName, r.DeviceSerial, r.OfficerId, r.Start, r.DurationSeconds).ToSpan()))];
    }

    /// <summary>
    /// Spans of the recordings linked to each of these activities, by activity: what <see cref="LinkedSpansAsync"/>
    /// gives a case's report, for many activities of many cases at once (statistics of completeness).
    /// </summary>
    public static async Task<ILookup<Guid, RecordingSpan>> ActivitySpansAsync(NpgsqlConnection connection, IReadOnlyList<Guid> activityIds, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT l.activity_id, {SpanColumns}
            FROM recording_links l
            JOIN recordings r ON r.id = l.recording_id
            LEFT JOIN media_probes p ON p.recording_id = r.id
            WHERE l.activity_id = ANY(@activityIds) AND l.unlinked_at IS NULL AND r.recorder_started_at IS NOT NULL AND r.disposed_at IS NULL
            """;
        var rows = await connection.QueryAsync<LinkedSpanRow>(new CommandDefinition(sql, new { activityIds = activityIds.ToArray() }, cancellationToken: cancellationToken));
        return rows.ToLookup(r => r.ActivityId!.Value, r => new SpanRow(r.RecordingId, r.OriginalName, r.DeviceSerial, r.OfficerId, r.Start, r.DurationSeconds).ToSpan());
    }

    private sealed record SpanRow(Guid RecordingId, string OriginalName, string? DeviceSerial, string? OfficerId, DateTime Start, double DurationSeconds)
    {
        public RecordingSpan ToSpan()
        {
            var start = Utc.From(Start);
            return new RecordingSpan(RecordingId, OriginalName, DeviceSerial, OfficerId, start, start.AddSeconds(DurationSeconds));
        }
    }

    private sealed record CandidateRow(
        Guid RecordingId, string OriginalName, string? DeviceSerial, string? OfficerId, DateTime Start, double DurationSeconds, string? UnitCode, string? OfficerUnitCode)
    {
        public LinkCandidate ToCandidate() =>
            new(new SpanRow(RecordingId, OriginalName, DeviceSerial, OfficerId, Start, DurationSeconds).ToSpan(), UnitCode, OfficerUnitCode);
    }

    private sealed record LinkedSpanRow(Guid? ActivityId, Guid RecordingId, string OriginalName, string? DeviceSerial, string? OfficerId, DateTime Start, double DurationSeconds);

}
