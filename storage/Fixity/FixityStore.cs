using Dapper;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Objects;
using Npgsql;

namespace Enforcement.Media.Storage.Fixity;

/// <summary>SQL for fixity: which originals to check, recording findings, scheduling sample runs.</summary>
public sealed class FixityStore(NpgsqlDataSource dataSource)
{
    public const string JobKind = "fixity";

    public async Task<long> CountOriginalsAsync(string store, CancellationToken cancellationToken)
    {
        const string sql = "SELECT count(*) FROM stored_objects WHERE kind = 'original' AND store = @store";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { store }, cancellationToken: cancellationToken));
    }

    /// <summary>Originals the catalogue holds in other stores, which this process cannot read: they are reported, never silently skipped.</summary>
    public async Task<long> CountOriginalsElsewhereAsync(string store, CancellationToken cancellationToken)
    {
        const string sql = "SELECT count(*) FROM stored_objects WHERE kind = 'original' AND store <> @store";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { store }, cancellationToken: cancellationToken));
    }

    /// <summary>Originals in the store after <paramref name="afterId"/>, by id: pages for a run over all of them.</summary>
    public async Task<IReadOnlyList<FixityTarget>> PageAsync(string store, Guid afterId, int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id AS object_id, recording_id, object_key, version_id, sha256, size_bytes
            FROM stored_objects
            WHERE kind = 'original' AND store = @store AND id > @afterId
            ORDER BY id
            LIMIT @limit
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<TargetRow>(new CommandDefinition(sql, new { store, afterId, limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToTarget())];
    }

    /// <summary>
    /// The originals verified longest ago (ingest counts as a verification: the SHA-256 was computed as
    /// the bytes were stored): the <paramref name="quota"/> oldest, plus any last verified before
    /// <paramref name="dueBefore"/>, which would otherwise fall out of the coverage period before the next run.
    /// </summary>
    public async Task<IReadOnlyList<FixityTarget>> SampleAsync(string store, long quota, DateTimeOffset dueBefore, CancellationToken cancellationToken)
    {
        const string sql = """
            WITH ranked AS (
                SELECT o.id AS object_id, o.recording_id, o.object_key, o.version_id, o.sha256, o.size_bytes,
                       coalesce(last.checked_at, o.created_at) AS last_verified,
                       row_number() OVER (ORDER BY coalesce(last.checked_at, o.created_at), o.id) AS position
                FROM stored_objects o
                LEFT JOIN LATERAL (
                    SELECT f.checked_at FROM fixity_checks f WHERE f.object_id = o.id ORDER BY f.checked_at DESC LIMIT 1
                ) last ON true
                WHERE o.kind = 'original' AND o.store = @store
            )
            SELECT object_id, recording_id, object_key, version_id, sha256, size_bytes
            FROM ranked
            WHERE position <= @quota OR last_verified < @dueBefore
            ORDER BY position
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<TargetRow>(new CommandDefinition(sql, new { store, quota, dueBefore = dueBefore.UtcDateTime }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToTarget())];
    }

    public static async Task RecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid runId, string store, FixityResult result, DateTimeOffset checkedAt, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO fixity_checks (run_id, object_id, recording_id, store, object_key, version_id, outcome, expected_sha256,
                                       actual_sha256, expected_size, actual_size, reason, checked_at, duration_ms)
            VALUES (@runId, @ObjectId, @RecordingId, @store, @Key, @VersionId, @Outcome, @Sha256,
                    @ActualSha256, @Size, @ActualSize, @Reason, @CheckedAt, @DurationMs)
            """;
        var target = result.Target;
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new
            {
                runId,
                target.ObjectId,
                target.RecordingId,
                store,
                target.Location.Key,
                target.Location.VersionId,
                Outcome = result.Outcome.ToString().ToLowerInvariant(),
                target.Sha256,
                result.ActualSha256,
                target.Size,
                result.ActualSize,
                result.Reason,
                CheckedAt = checkedAt.UtcDateTime,
                DurationMs = (int)Math.Min(int.MaxValue, result.Duration.TotalMilliseconds),
            },
            transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Queues a sample run unless one is queued or running, or one was queued less than
    /// <paramref name="every"/> ago. Every ingest process asks; the advisory lock makes one of them queue it.
    /// </summary>
    public async Task<long?> EnqueueSampleIfDueAsync(TimeSpan every, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtextextended('enforcement-media/fixity-schedule/' || current_schema(), 0))", transaction: transaction, cancellationToken: cancellationToken));
        const string recent = """
            SELECT EXISTS (
                SELECT 1 FROM jobs
                WHERE kind = @JobKind AND (state IN ('queued', 'running') OR created_at > now() - @every))
            """;
        if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(recent, new { JobKind, every }, transaction, cancellationToken: cancellationToken)))
        {
            return null;
        }

        var id = await JobQueue.EnqueueAsync(connection, transaction, new JobRequest(JobKind, null, new { scope = "sample" }, MaxAttempts: 3), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    private sealed record TargetRow(Guid ObjectId, Guid? RecordingId, string ObjectKey, string? VersionId, string Sha256, long SizeBytes)
    {
        public FixityTarget ToTarget() => new(ObjectId, RecordingId, new ObjectRef(ObjectKey, VersionId), Sha256, SizeBytes);
    }
}
