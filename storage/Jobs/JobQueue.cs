using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Enforcement.Media.Storage.Jobs;

/// <summary>
/// The work queue in PostgreSQL. Jobs are enqueued in the same transaction as the catalogue change
/// that calls for them, claimed with <c>FOR UPDATE SKIP LOCKED</c> (many workers, never one job
/// twice at once), and leased: a worker that dies loses its lease and the job runs again.
/// </summary>
public sealed partial class JobQueue(NpgsqlDataSource dataSource, ILogger<JobQueue> logger)
{
    /// <summary>Adds a job unless the same kind is already queued or running for that recording.</summary>
    public static async Task<long?> EnqueueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, JobRequest job, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO jobs (kind, recording_id, payload, priority, max_attempts)
            VALUES (@Kind, @RecordingId, @Payload::jsonb, @Priority, @MaxAttempts)
            ON CONFLICT (kind, recording_id) WHERE state IN ('queued', 'running') AND recording_id IS NOT NULL DO NOTHING
            RETURNING id
            """;
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            sql,
            new { job.Kind, job.RecordingId, Payload = JsonSerializer.Serialize(job.Payload ?? new { }), job.Priority, job.MaxAttempts },
            transaction,
            cancellationToken: cancellationToken));
    }

    public async Task<long?> EnqueueAsync(JobRequest job, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await EnqueueAsync(connection, transaction, job, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>Claims the most urgent ready job of the given kinds, or null when there is none.</summary>
    public async Task<ClaimedJob?> ClaimAsync(IReadOnlyCollection<string> kinds, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE jobs
            SET state = 'running', attempts = attempts + 1, lease_owner = @owner,
                lease_expires_at = now() + @lease, updated_at = now()
            WHERE id = (
                SELECT id FROM jobs
                WHERE state = 'queued' AND run_after <= now() AND kind = ANY(@kinds)
                ORDER BY priority DESC, id
                FOR UPDATE SKIP LOCKED
                LIMIT 1)
            RETURNING id, kind, recording_id, payload::text AS payload, attempts, max_attempts
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ClaimedJob>(new CommandDefinition(
            sql, new { kinds = kinds.ToArray(), owner, lease }, cancellationToken: cancellationToken));
    }

    /// <summary>Extends a long job's lease; false when the lease was lost (another worker may have it).</summary>
    public async Task<bool> RenewLeaseAsync(long jobId, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE jobs SET lease_expires_at = now() + @lease, updated_at = now()
            WHERE id = @jobId AND state = 'running' AND lease_owner = @owner
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, new { jobId, owner, lease }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<bool> CompleteAsync(long jobId, string owner, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE jobs SET state = 'succeeded', lease_owner = NULL, lease_expires_at = NULL,
                            finished_at = now(), updated_at = now()
            WHERE id = @jobId AND state = 'running' AND lease_owner = @owner
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, new { jobId, owner }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Records a failure: queued again after <paramref name="retryAfter"/>, or failed for good once out of attempts.</summary>
    public async Task<JobFailure> FailAsync(long jobId, string owner, string error, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE jobs
            SET state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
                run_after = now() + @retryAfter, last_error = @error,
                lease_owner = NULL, lease_expires_at = NULL, updated_at = now(),
                finished_at = CASE WHEN attempts >= max_attempts THEN now() END
            WHERE id = @jobId AND state = 'running' AND lease_owner = @owner
            RETURNING state
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var state = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(sql, new { jobId, owner, error, retryAfter }, cancellationToken: cancellationToken));
        return state switch
        {
            "failed" => JobFailure.GaveUp,
            "queued" => JobFailure.WillRetry,
            _ => JobFailure.LeaseLost,
        };
    }

    /// <summary>Returns jobs whose worker vanished (lease expired) to the queue, or fails them when out of attempts.</summary>
    public async Task<int> RecoverExpiredLeasesAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE jobs
            SET state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
                last_error = 'lease of ' || coalesce(lease_owner, '?') || ' expired: the worker stopped while running it',
                lease_owner = NULL, lease_expires_at = NULL, updated_at = now(), run_after = now(),
                finished_at = CASE WHEN attempts >= max_attempts THEN now() END
            WHERE state = 'running' AND lease_expires_at < now()
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var recovered = await connection.ExecuteAsync(new CommandDefinition(sql, cancellationToken: cancellationToken));
        if (recovered > 0)
        {
            LogRecovered(recovered);
        }

        return recovered;
    }

    /// <summary>
    /// Live jobs by kind and state: queued (ready or waiting to be retried) and running. Cheap however long
    /// the history: only the rows of the partial indexes on those two states are read.
    /// </summary>
    public async Task<IReadOnlyList<JobCount>> CountLiveAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT kind, state, count(*) AS count
            FROM jobs
            WHERE state = 'queued' OR state = 'running'
            GROUP BY kind, state
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<JobCount>(new CommandDefinition(sql, cancellationToken: cancellationToken))];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovered {Count} jobs whose worker stopped while running them")]
    private partial void LogRecovered(int count);
}
