using Dapper;
using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Objects;
using Npgsql;

namespace Enforcement.Media.Storage.Recordings;

/// <summary>SQL for recordings, their sources and their stored objects. Every method joins the caller's transaction.</summary>
public static class RecordingStore
{
    /// <summary>
    /// Serialises everyone storing the same content until the transaction ends, so two deliveries of
    /// the same bytes can never both become a recording.
    /// </summary>
    public static async Task LockContentAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Sha256Digest sha256, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtextextended('recording/' || @Hex, 0))", new { sha256.Hex }, transaction, cancellationToken: cancellationToken));

    public static async Task<HeldRecording?> FindBySha256Async(NpgsqlConnection connection, NpgsqlTransaction? transaction, Sha256Digest sha256, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT r.id AS recording_id, r.sha256, r.size_bytes AS size, o.store, o.object_key, o.version_id,
                   o.created_at AS stored_at, r.quarantine_reason
            FROM recordings r
            JOIN stored_objects o ON o.id = r.original_object_id
            WHERE r.sha256 = @Hex
            """;
        var row = await connection.QuerySingleOrDefaultAsync<HeldRow>(new CommandDefinition(sql, new { sha256.Hex }, transaction, cancellationToken: cancellationToken));
        return row?.ToHeldRecording();
    }

    /// <summary>
    /// Whether the key delivered this recording (one of its sources is attributed to the key), or, for
    /// a station's key, any key of the same station did: a docking station whose key was replaced still
    /// gets the receipts for what it uploaded under the old one, and so may still release those files.
    /// </summary>
    public static async Task<bool> DeliveredByKeyAsync(NpgsqlConnection connection, Guid recordingId, Guid apiKeyId, string? stationId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT EXISTS (
                SELECT 1 FROM recording_sources s JOIN api_keys k ON k.id = s.api_key_id
                WHERE s.recording_id = @recordingId
                  AND (k.id = @apiKeyId OR (@stationId::text IS NOT NULL AND k.kind = 'station' AND k.station_id = @stationId)))
            """;
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { recordingId, apiKeyId, stationId }, cancellationToken: cancellationToken));
    }

    /// <summary>The lock a recording's original carries in the catalogue; null when there is no such recording or it was disposed of.</summary>
    public static async Task<OriginalLock?> OriginalLockAsync(NpgsqlConnection connection, Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT r.id AS recording_id, o.retain_until, o.legal_hold
            FROM recordings r JOIN stored_objects o ON o.id = r.original_object_id
            WHERE r.id = @recordingId AND r.disposed_at IS NULL
            """;
        var row = await connection.QuerySingleOrDefaultAsync<OriginalLockRow>(new CommandDefinition(sql, new { recordingId }, cancellationToken: cancellationToken));
        return row is null ? null : new OriginalLock(row.RecordingId, new DateTimeOffset(DateTime.SpecifyKind(row.RetainUntil, DateTimeKind.Utc)), row.LegalHold);
    }

    public sealed record OriginalLock(Guid RecordingId, DateTimeOffset RetainUntil, bool LegalHold);

    /// <summary>A live recording's classification, its row locked for a change; null when there is none (or it was disposed of).</summary>
    public static async Task<string?> LockClassificationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT classification FROM recordings WHERE id = @recordingId AND disposed_at IS NULL FOR UPDATE";
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(sql, new { recordingId }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Sets the classification of a recording locked by <see cref="LockClassificationAsync"/>; the caller audits the change in the same transaction.</summary>
    public static async Task SetClassificationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid recordingId, string classification, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE recordings SET classification = @classification WHERE id = @recordingId";
        await connection.ExecuteAsync(new CommandDefinition(sql, new { recordingId, classification }, transaction, cancellationToken: cancellationToken));
    }

    private sealed record OriginalLockRow(Guid RecordingId, DateTime RetainUntil, bool LegalHold);

    public static async Task<Guid> InsertObjectAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string store, SealedObject sealedObject, ObjectKind kind, string? contentType, Guid? recordingId, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO stored_objects (id, kind, store, object_key, version_id, sha256, size_bytes, content_type,
                                        retain_until, legal_hold, created_at, recording_id)
            VALUES (@Id, @Kind, @Store, @Key, @VersionId, @Sha256, @Size, @ContentType,
                    @RetainUntil, @LegalHold, @CreatedAt, @RecordingId)
            """;
        var id = Guid.CreateVersion7(createdAt);
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new
            {
                Id = id,
                Kind = kind.ToName(),
                Store = store,
                sealedObject.Location.Key,
                sealedObject.Location.VersionId,
                Sha256 = sealedObject.Sha256.Hex,
                sealedObject.Size,
                ContentType = contentType,
                RetainUntil = sealedObject.Retention.RetainUntil!.Value.UtcDateTime,
                sealedObject.Retention.LegalHold,
                CreatedAt = createdAt.UtcDateTime,
                RecordingId = recordingId,
            },
            transaction,
            cancellationToken: cancellationToken));
        return id;
    }

    public static async Task InsertRecordingAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid recordingId, SealedObject original, Guid objectId, Delivery delivery, string? quarantineReason, DateTimeOffset ingestedAt, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO recordings (id, sha256, size_bytes, original_object_id, original_name, device_serial, officer_id,
                                    unit_code, recorder_started_at, recorder_clock_offset_seconds, important,
                                    quarantine_reason, retain_until, legal_hold, ingested_at)
            VALUES (@RecordingId, @Sha256, @Size, @ObjectId, @OriginalName, @DeviceSerial, @OfficerId,
                    @UnitCode, @RecorderStartedAt, @RecorderClockOffsetSeconds, @Important,
                    @QuarantineReason, @RetainUntil, @LegalHold, @IngestedAt);
            UPDATE stored_objects SET recording_id = @RecordingId WHERE id = @ObjectId;
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new
            {
                RecordingId = recordingId,
                Sha256 = original.Sha256.Hex,
                original.Size,
                ObjectId = objectId,
                delivery.OriginalName,
                delivery.DeviceSerial,
                delivery.OfficerId,
                delivery.UnitCode,
                RecorderStartedAt = delivery.RecorderStartedAt?.UtcDateTime,
                delivery.RecorderClockOffsetSeconds,
                delivery.Important,
                QuarantineReason = quarantineReason,
                RetainUntil = original.Retention.RetainUntil!.Value.UtcDateTime,
                original.Retention.LegalHold,
                IngestedAt = ingestedAt.UtcDateTime,
            },
            transaction,
            cancellationToken: cancellationToken));
    }

    /// <param name="writeId">The pending write that brought this delivery.</param>
    public static async Task<Guid> InsertSourceAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid recordingId, Guid writeId, Delivery delivery, bool? claimVerified, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO recording_sources (id, recording_id, source_kind, station_id, original_path, original_name,
                                           file_modified_at, device_serial, officer_id, unit_code, recorder_started_at,
                                           recorder_clock_offset_seconds, important, case_code, claimed_sha256,
                                           claimed_md5, claim_verified, received_at, api_key_id, write_id)
            VALUES (@Id, @RecordingId, @SourceKind, @StationId, @OriginalPath, @OriginalName,
                    @FileModifiedAt, @DeviceSerial, @OfficerId, @UnitCode, @RecorderStartedAt,
                    @RecorderClockOffsetSeconds, @Important, @CaseCode, @ClaimedSha256,
                    @ClaimedMd5, @ClaimVerified, @ReceivedAt, @ApiKeyId, @WriteId)
            """;
        var id = Guid.CreateVersion7(receivedAt);
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new
            {
                Id = id,
                RecordingId = recordingId,
                SourceKind = delivery.Kind.ToString().ToLowerInvariant(),
                delivery.StationId,
                delivery.OriginalPath,
                delivery.OriginalName,
                FileModifiedAt = delivery.FileModifiedAt?.UtcDateTime,
                delivery.DeviceSerial,
                delivery.OfficerId,
                delivery.UnitCode,
                RecorderStartedAt = delivery.RecorderStartedAt?.UtcDateTime,
                delivery.RecorderClockOffsetSeconds,
                delivery.Important,
                delivery.CaseCode,
                delivery.ClaimedSha256,
                delivery.ClaimedMd5,
                ClaimVerified = claimVerified,
                ReceivedAt = receivedAt.UtcDateTime,
                delivery.ApiKeyId,
                WriteId = writeId,
            },
            transaction,
            cancellationToken: cancellationToken));
        return id;
    }

    /// <summary>
    /// The source row a pending write's delivery was catalogued as, if it was; <c>First</c> when no
    /// source of the recording arrived before it (this delivery's bytes became the original).
    /// </summary>
    public static async Task<SourceOfWrite?> FindSourceOfWriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid writeId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT s.id AS source_id, s.recording_id,
                   NOT EXISTS (SELECT 1 FROM recording_sources e WHERE e.recording_id = s.recording_id AND e.received_at < s.received_at) AS first
            FROM recording_sources s
            WHERE s.write_id = @writeId
            """;
        return await connection.QuerySingleOrDefaultAsync<SourceOfWrite>(new CommandDefinition(sql, new { writeId }, transaction, cancellationToken: cancellationToken));
    }

    public sealed record SourceOfWrite(Guid SourceId, Guid RecordingId, bool First);

    private sealed record HeldRow(Guid RecordingId, string Sha256, long Size, string Store, string ObjectKey, string? VersionId, DateTime StoredAt, string? QuarantineReason)
    {
        public HeldRecording ToHeldRecording() =>
            new(RecordingId, Sha256Digest.Parse(Sha256), Size, Store, new ObjectRef(ObjectKey, VersionId), new DateTimeOffset(DateTime.SpecifyKind(StoredAt, DateTimeKind.Utc)), QuarantineReason);
    }
}
