using Dapper;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Objects;
using Npgsql;

namespace Enforcement.Media.Player.Exports;

/// <summary>SQL for export requests, their recordings, and the package each produced.</summary>
public sealed class ExportStore(NpgsqlDataSource dataSource)
{
    /// <summary>The recordings among <paramref name="ids"/> the user may export: those they may see (<see cref="RecordingVisibility"/>).</summary>
    public static Task<IReadOnlyList<Guid>> VisibleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId, string? unitCode, IReadOnlyList<Guid> ids, CancellationToken cancellationToken) =>
        RecordingVisibility.VisibleAsync(connection, transaction, new Viewer(userId, string.Empty, unitCode), ids, cancellationToken);

    /// <summary>The recordings an export request names.</summary>
    public static async Task<IReadOnlyList<Guid>> ItemsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid exportId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT recording_id FROM export_items WHERE export_id = @exportId ORDER BY ordinal";
        return [.. await connection.QueryAsync<Guid>(new CommandDefinition(sql, new { exportId }, transaction, cancellationToken: cancellationToken))];
    }

    public static async Task InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, Guid userId, string actor, DateTimeOffset now, string reason, string recipient, IReadOnlyList<Guid> recordings, CancellationToken cancellationToken)
    {
        const string request = """
            INSERT INTO export_requests (id, requested_by, requested_by_actor, requested_at, reason, recipient)
            VALUES (@id, @userId, @actor, @now, @reason, @recipient)
            """;
        await connection.ExecuteAsync(new CommandDefinition(request, new { id, userId, actor, now = now.UtcDateTime, reason, recipient }, transaction, cancellationToken: cancellationToken));
        const string items = """
            INSERT INTO export_items (export_id, ordinal, recording_id)
            SELECT @id, t.ordinal, t.recording_id FROM unnest(@recordings) WITH ORDINALITY AS t(recording_id, ordinal)
            """;
        await connection.ExecuteAsync(new CommandDefinition(items, new { id, recordings = recordings.ToArray() }, transaction, cancellationToken: cancellationToken));
    }

    public async Task<ExportRequest?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        (await ListAsync(id, null, null, null, 1, cancellationToken)).SingleOrDefault();

    /// <summary>The request, if every recording it names is within <paramref name="supervisor"/>'s scope.</summary>
    public async Task<ExportRequest?> FindInScopeAsync(Guid id, Viewer supervisor, CancellationToken cancellationToken) =>
        (await ListAsync(id, null, null, supervisor, 1, cancellationToken)).SingleOrDefault();

    /// <summary>A requester's own requests, newest first.</summary>
    public Task<IReadOnlyList<ExportRequest>> OfRequesterAsync(Guid userId, int limit, CancellationToken cancellationToken) =>
        ListAsync(null, userId, null, null, limit, cancellationToken);

    /// <summary>Requests waiting for a decision, newest first: those about footage within the supervisor's scope.</summary>
    public Task<IReadOnlyList<ExportRequest>> PendingAsync(Viewer supervisor, int limit, CancellationToken cancellationToken) =>
        ListAsync(null, null, true, supervisor, limit, cancellationToken);

    /// <summary>
    /// Every request decided about footage within the supervisor's scope, newest first: the register of
    /// what left the system, and what did not.
    /// </summary>
    public Task<IReadOnlyList<ExportRequest>> DecidedAsync(Viewer supervisor, int limit, CancellationToken cancellationToken) =>
        ListAsync(null, null, false, supervisor, limit, cancellationToken);

    /// <summary>Locks one request for a state change; null when there is none.</summary>
    public static async Task<LockedExport?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, CancellationToken cancellationToken)
    {
        const string sql = "SELECT id, requested_by, state, downloaded_at, package_sha256, package_size FROM export_requests WHERE id = @id FOR UPDATE";
        return await connection.QuerySingleOrDefaultAsync<LockedExport>(new CommandDefinition(sql, new { id }, transaction, cancellationToken: cancellationToken));
    }

    public static async Task DecideAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string state, Guid userId, string actor, DateTimeOffset now, string reason, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE export_requests SET state = @state, decided_by = @userId, decided_by_actor = @actor, decided_at = @now, decision_reason = @reason
            WHERE id = @id AND state = 'requested'
            """;
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, state, userId, actor, now = now.UtcDateTime, reason }, transaction, cancellationToken: cancellationToken));
    }

    public static async Task<bool> MarkReadyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, Guid objectId, string sha256, long size, string manifestSha256, DateTimeOffset builtAt, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE export_requests SET state = 'ready', package_object_id = @objectId, package_sha256 = @sha256, package_size = @size,
                                       manifest_sha256 = @manifestSha256, built_at = @builtAt
            WHERE id = @id AND state = 'approved'
            """;
        return await connection.ExecuteAsync(new CommandDefinition(
            sql, new { id, objectId, sha256, size, manifestSha256, builtAt = builtAt.UtcDateTime }, transaction, cancellationToken: cancellationToken)) == 1;
    }

    public static async Task<bool> MarkFailedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string failure, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE export_requests SET state = 'failed', failure = @failure WHERE id = @id AND state = 'approved'",
            new { id, failure },
            transaction,
            cancellationToken: cancellationToken)) == 1;

    public static async Task MarkDownloadedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, DateTimeOffset now, string from, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE export_requests SET downloaded_at = @now, downloaded_from = @from WHERE id = @id AND state = 'ready' AND downloaded_at IS NULL",
            new { id, now = now.UtcDateTime, from },
            transaction,
            cancellationToken: cancellationToken));

    public static async Task<StoredPackage?> PackageAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT o.store, o.object_key, o.version_id, o.sha256, o.size_bytes
            FROM export_requests e JOIN stored_objects o ON o.id = e.package_object_id
            WHERE e.id = @id
            """;
        var row = await connection.QuerySingleOrDefaultAsync<PackageRow>(new CommandDefinition(sql, new { id }, transaction, cancellationToken: cancellationToken));
        return row is null ? null : new StoredPackage(row.Store, new ObjectRef(row.ObjectKey, row.VersionId), row.Sha256, row.SizeBytes);
    }

    /// <summary>The originals of an export, in the requester's order, with everything the manifest names.</summary>
    public async Task<IReadOnlyList<PackageSource>> SourcesAsync(Guid exportId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT i.ordinal, r.id AS recording_id, r.sha256, r.size_bytes, r.original_name, r.classification, r.device_serial,
                   r.officer_id, r.unit_code, r.recorder_started_at, r.ingested_at, r.disposed_at,
                   coalesce((SELECT array_agg(DISTINCT c.case_number ORDER BY c.case_number)
                             FROM recording_links l JOIN cases c ON c.id = l.case_id
                             WHERE l.recording_id = r.id AND l.unlinked_at IS NULL), '{}') AS case_numbers,
                   o.store, o.object_key, o.version_id, o.retain_until
            FROM export_items i
            JOIN recordings r ON r.id = i.recording_id
            JOIN stored_objects o ON o.id = r.original_object_id
            WHERE i.export_id = @exportId
            ORDER BY i.ordinal
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SourceRow>(new CommandDefinition(sql, new { exportId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToSource())];
    }

    /// <param name="inScopeOf">
    /// When set, only requests all of whose recordings are within this user's scope (their unit, or a case
    /// of it or assigned to them; disposed of or not, as in the ledger): a supervisor decides on, and reads
    /// the register of, their own footage's exports, not every unit's.
    /// </param>
    private async Task<IReadOnlyList<ExportRequest>> ListAsync(Guid? id, Guid? requestedBy, bool? pending, Viewer? inScopeOf, int limit, CancellationToken cancellationToken)
    {
        const string sql = $$"""
            SELECT e.id, e.requested_by, e.requested_by_actor, e.requested_at, e.reason, e.recipient, e.state, e.decided_by,
                   e.decided_by_actor, e.decided_at, e.decision_reason, e.package_sha256, e.package_size, e.manifest_sha256,
                   e.built_at, e.failure, e.downloaded_at
            FROM export_requests e
            WHERE (@id::uuid IS NULL OR e.id = @id)
              AND (@requestedBy::uuid IS NULL OR e.requested_by = @requestedBy)
              AND (@pending::boolean IS NULL OR (e.state = 'requested') = @pending)
              AND (NOT @scoped OR NOT EXISTS (
                       SELECT 1 FROM export_items si JOIN recordings r ON r.id = si.recording_id
                       WHERE si.export_id = e.id AND NOT coalesce({{RecordingVisibility.ScopePredicate}}, false)))
            ORDER BY e.requested_at DESC
            LIMIT @limit
            """;
        const string itemsSql = """
            SELECT i.export_id, i.ordinal, r.id AS recording_id, r.original_name, r.sha256, r.size_bytes, r.classification,
                   coalesce((SELECT array_agg(DISTINCT c.case_number ORDER BY c.case_number)
                             FROM recording_links l JOIN cases c ON c.id = l.case_id
                             WHERE l.recording_id = r.id AND l.unlinked_at IS NULL), '{}') AS case_numbers
            FROM export_items i JOIN recordings r ON r.id = i.recording_id
            WHERE i.export_id = ANY(@ids)
            ORDER BY i.export_id, i.ordinal
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var requests = (await connection.QueryAsync<RequestRow>(new CommandDefinition(
            sql,
            new { id, requestedBy, pending, scoped = inScopeOf is not null, viewerId = inScopeOf?.UserId ?? Guid.Empty, viewerUnit = inScopeOf?.UnitCode, limit = Math.Clamp(limit, 1, 1000) },
            cancellationToken: cancellationToken))).ToList();
        if (requests.Count == 0)
        {
            return [];
        }

        var items = (await connection.QueryAsync<ItemRow>(new CommandDefinition(itemsSql, new { ids = requests.Select(r => r.Id).ToArray() }, cancellationToken: cancellationToken)))
            .ToLookup(i => i.ExportId);
        return [.. requests.Select(r => r.ToRequest([.. items[r.Id].Select(i => i.ToItem())]))];
    }

    private sealed record RequestRow(
        Guid Id, Guid RequestedBy, string RequestedByActor, DateTime RequestedAt, string Reason, string Recipient, string State, Guid? DecidedBy, string? DecidedByActor,
        DateTime? DecidedAt, string? DecisionReason, string? PackageSha256, long? PackageSize, string? ManifestSha256, DateTime? BuiltAt, string? Failure, DateTime? DownloadedAt)
    {
        public ExportRequest ToRequest(IReadOnlyList<ExportItem> items) => new(
            Id, RequestedBy, RequestedByActor, Utc.From(RequestedAt), Reason, Recipient, State, DecidedBy, DecidedByActor, Utc.From(DecidedAt), DecisionReason,
            PackageSha256, PackageSize, ManifestSha256, Utc.From(BuiltAt), Failure, Utc.From(DownloadedAt), items);
    }

    // Property-mapped because Dapper binds PostgreSQL arrays only through setters.
    private sealed class ItemRow
    {
        public Guid ExportId { get; set; }

        public int Ordinal { get; set; }

        public Guid RecordingId { get; set; }

        public string OriginalName { get; set; } = string.Empty;

        public string Sha256 { get; set; } = string.Empty;

        public long SizeBytes { get; set; }

        public string Classification { get; set; } = string.Empty;

        public string[] CaseNumbers { get; set; } = [];

        public ExportItem ToItem() => new(Ordinal, RecordingId, OriginalName, Sha256, SizeBytes, Classification, CaseNumbers);
    }

    private sealed class SourceRow
    {
        public int Ordinal { get; set; }

        public Guid RecordingId { get; set; }

        public string Sha256 { get; set; } = string.Empty;

        public long SizeBytes { get; set; }

        public string OriginalName { get; set; } = string.Empty;

        public string Classification { get; set; } = string.Empty;

        public string? DeviceSerial { get; set; }

        public string? OfficerId { get; set; }

        public string? UnitCode { get; set; }

        public DateTime? RecorderStartedAt { get; set; }

        public DateTime IngestedAt { get; set; }

        public DateTime? DisposedAt { get; set; }

        public string[] CaseNumbers { get; set; } = [];

        public string Store { get; set; } = string.Empty;

        public string ObjectKey { get; set; } = string.Empty;

        public string? VersionId { get; set; }

        public DateTime RetainUntil { get; set; }

        public PackageSource ToSource() => new(
            Ordinal, RecordingId, Sha256, SizeBytes, OriginalName, Classification, DeviceSerial, OfficerId, UnitCode, Utc.From(RecorderStartedAt), Utc.From(IngestedAt),
            Utc.From(DisposedAt), CaseNumbers, Store, new ObjectRef(ObjectKey, VersionId), Utc.From(RetainUntil));
    }

    private sealed record PackageRow(string Store, string ObjectKey, string? VersionId, string Sha256, long SizeBytes);
}
