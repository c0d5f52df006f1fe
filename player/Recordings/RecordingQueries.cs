using Dapper;
using Enforcement.Media.Storage.Catalogue;
using Npgsql;

namespace Enforcement.Media.Player.Recordings;

/// <summary>SQL behind the recording page: the catalogue's facts, the probe, deliveries, case links and chain of custody.</summary>
public sealed class RecordingQueries(NpgsqlDataSource dataSource)
{
    /// <summary>The recording, or null when there is none (or it was disposed of: nothing is left to review).</summary>
    public async Task<RecordingDetail?> DetailAsync(Guid recordingId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var facts = await FactsAsync(connection, recordingId, cancellationToken);
        if (facts is null)
        {
            return null;
        }

        return new RecordingDetail(
            facts,
            await ProbeAsync(connection, recordingId, cancellationToken),
            await SourcesAsync(connection, recordingId, cancellationToken),
            await LinksAsync(connection, recordingId, cancellationToken),
            await CustodyAsync(connection, recordingId, cancellationToken),
            await DerivativesAsync(connection, recordingId, cancellationToken));
    }

    private static async Task<RecordingFacts?> FactsAsync(NpgsqlConnection connection, Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, sha256, size_bytes, original_name, device_serial, officer_id, unit_code, recorder_started_at,
                   recorder_clock_offset_seconds, important, quarantine_reason, classification, retention_class,
                   retain_until, legal_hold, ingested_at, media_state
            FROM recordings WHERE id = @recordingId AND disposed_at IS NULL
            """;
        var row = await connection.QuerySingleOrDefaultAsync<FactsRow>(new CommandDefinition(sql, new { recordingId }, cancellationToken: cancellationToken));
        return row is null
            ? null
            : new RecordingFacts(
                row.Id, row.Sha256, row.SizeBytes, row.OriginalName, row.DeviceSerial, row.OfficerId, row.UnitCode, Utc.From(row.RecorderStartedAt),
                row.RecorderClockOffsetSeconds, row.Important, row.QuarantineReason, row.Classification, row.RetentionClass, Utc.From(row.RetainUntil),
                row.LegalHold, Utc.From(row.IngestedAt), row.MediaState);
    }

    private static async Task<ProbeFacts?> ProbeAsync(NpgsqlConnection connection, Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT outcome, unplayable_reason, media_kind, format_long_name, duration_seconds, bit_rate, video_codec, video_profile,
                   width, height, rotation, frames_per_second, variable_frame_rate, audio_codec, audio_channels, audio_sample_rate,
                   media_created_at, gps_iso6709, gps_latitude, gps_longitude, gps_altitude
            FROM media_probes WHERE recording_id = @recordingId
            """;
        var row = await connection.QuerySingleOrDefaultAsync<ProbeRow>(new CommandDefinition(sql, new { recordingId }, cancellationToken: cancellationToken));
        return row is null
            ? null
            : new ProbeFacts(
                row.Outcome, row.UnplayableReason, row.MediaKind, row.FormatLongName, row.DurationSeconds, row.BitRate, row.VideoCodec, row.VideoProfile,
                row.Width, row.Height, row.Rotation, row.FramesPerSecond, row.VariableFrameRate, row.AudioCodec, row.AudioChannels, row.AudioSampleRate,
                Utc.From(row.MediaCreatedAt), row.GpsIso6709, row.GpsLatitude, row.GpsLongitude, row.GpsAltitude);
    }

    private static async Task<IReadOnlyList<RecordingSource>> SourcesAsync(NpgsqlConnection connection, Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT source_kind, station_id, original_name, original_path, device_serial, officer_id, recorder_started_at,
                   recorder_clock_offset_seconds, file_modified_at, claim_verified, received_at
            FROM recording_sources WHERE recording_id = @recordingId
            ORDER BY received_at, id
            """;
        var rows = await connection.QueryAsync<SourceRow>(new CommandDefinition(sql, new { recordingId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new RecordingSource(
            r.SourceKind, r.StationId, r.OriginalName, r.OriginalPath, r.DeviceSerial, r.OfficerId, Utc.From(r.RecorderStartedAt),
            r.RecorderClockOffsetSeconds, Utc.From(r.FileModifiedAt), r.ClaimVerified, Utc.From(r.ReceivedAt)))];
    }

    /// <summary>The recording's live case links, whoever made them (the caller has checked the user may see the recording).</summary>
    public async Task<IReadOnlyList<RecordingLink>> LinksAsync(Guid recordingId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await LinksAsync(connection, recordingId, cancellationToken);
    }

    private static async Task<IReadOnlyList<RecordingLink>> LinksAsync(NpgsqlConnection connection, Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT l.id AS link_id, c.case_number, s.stage_code, s.name AS stage_name, a.external_id AS activity_id, a.activity_type,
                   l.method, l.linked_by, l.linked_at, l.reason
            FROM recording_links l
            JOIN cases c ON c.id = l.case_id
            LEFT JOIN case_stages s ON s.id = l.stage_id
            LEFT JOIN case_activities a ON a.id = l.activity_id
            WHERE l.recording_id = @recordingId AND l.unlinked_at IS NULL
            ORDER BY c.case_number, s.ordinal NULLS LAST, a.starts_at NULLS LAST, l.linked_at
            """;
        var rows = await connection.QueryAsync<LinkRow>(new CommandDefinition(sql, new { recordingId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new RecordingLink(
            r.LinkId, r.CaseNumber, r.StageCode, r.StageName, r.ActivityId, r.ActivityType, r.Method, r.LinkedBy, Utc.From(r.LinkedAt), r.Reason))];
    }

    /// <summary>Every audit event whose subject is the recording: the chained ones in sequence order, then any still in the outbox.</summary>
    private static async Task<IReadOnlyList<CustodyEvent>> CustodyAsync(NpgsqlConnection connection, Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT seq, occurred_at, actor, action, details FROM (
                SELECT seq, occurred_at, actor, action, details, seq AS chain_order, 0::bigint AS outbox_order
                FROM audit_events WHERE subject_type = 'recording' AND subject_id = @subjectId
                UNION ALL
                SELECT NULL, occurred_at, actor, action, details, NULL, id
                FROM audit_outbox WHERE subject_type = 'recording' AND subject_id = @subjectId) e
            ORDER BY chain_order NULLS LAST, outbox_order
            """;
        var rows = await connection.QueryAsync<CustodyRow>(new CommandDefinition(sql, new { subjectId = recordingId.ToString() }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new CustodyEvent(r.Seq, Utc.From(r.OccurredAt), r.Actor, r.Action, r.Details))];
    }

    private static async Task<IReadOnlyList<string>> DerivativesAsync(NpgsqlConnection connection, Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT role FROM current_derivatives WHERE recording_id = @recordingId ORDER BY role";
        return [.. await connection.QueryAsync<string>(new CommandDefinition(sql, new { recordingId }, cancellationToken: cancellationToken))];
    }

    private sealed record FactsRow(
        Guid Id, string Sha256, long SizeBytes, string OriginalName, string? DeviceSerial, string? OfficerId, string? UnitCode, DateTime? RecorderStartedAt,
        int? RecorderClockOffsetSeconds, bool Important, string? QuarantineReason, string Classification, string RetentionClass, DateTime RetainUntil,
        bool LegalHold, DateTime IngestedAt, string MediaState);

    private sealed record ProbeRow(
        string Outcome, string? UnplayableReason, string MediaKind, string? FormatLongName, double? DurationSeconds, long? BitRate, string? VideoCodec,
        string? VideoProfile, int? Width, int? Height, int? Rotation, double? FramesPerSecond, bool? VariableFrameRate, string? AudioCodec, int? AudioChannels,
        int? AudioSampleRate, DateTime? MediaCreatedAt, string? GpsIso6709, double? GpsLatitude, double? GpsLongitude, double? GpsAltitude);

    private sealed record SourceRow(
        string SourceKind, string? StationId, string OriginalName, string? OriginalPath, string? DeviceSerial, string? OfficerId, DateTime? RecorderStartedAt,
        int? RecorderClockOffsetSeconds, DateTime? FileModifiedAt, bool? ClaimVerified, DateTime ReceivedAt);

    private sealed record LinkRow(
        Guid LinkId, string CaseNumber, string? StageCode, string? StageName, string? ActivityId, string? ActivityType, string Method, string LinkedBy, DateTime LinkedAt, string? Reason);

    private sealed record CustodyRow(long? Seq, DateTime OccurredAt, string Actor, string Action, string Details);
}
