using Dapper;
using Enforcement.Media.Storage.Alerts;
using Enforcement.Media.Storage.Audit.Verification;
using Enforcement.Media.Storage.Catalogue;
using Npgsql;

namespace Enforcement.Media.Storage.Audit;

/// <summary>
/// Keeps the verdict of every verification of the catalogue's trail (<c>audit_verifications</c>, migration
/// 0020): the row, an audit event (<c>audit.verified</c> or <c>audit.verify-failed</c>) and, when it did not
/// verify, an alert — one transaction. What the supervisors' integrity page shows as the last verification.
/// </summary>
public sealed class AuditVerificationStore(NpgsqlDataSource dataSource, AuditTrail audit, TimeProvider time)
{
    public const string SubjectType = "audit_verification";

    public async Task<Guid> RecordAsync(AuditVerification result, string actor, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO audit_verifications (id, started_at, finished_at, actor, valid, events, first_seq, last_seq, checkpoints,
                                             problems, first_problem_seq, first_problem_kind, first_problem, notes)
            VALUES (@id, @startedAt, @finishedAt, @actor, @valid, @Events, @FirstSeq, @LastSeq, @checkpoints,
                    @problems, @firstProblemSeq, @firstProblemKind, @firstProblem, @notes)
            """;
        var finishedAt = time.GetUtcNow();
        var id = Guid.CreateVersion7(startedAt);
        var first = result.FirstProblem;
        var row = new
        {
            id,
            startedAt = startedAt.UtcDateTime,
            finishedAt = finishedAt.UtcDateTime,
            actor,
            valid = result.IsValid,
            result.Events,
            result.FirstSeq,
            result.LastSeq,
            checkpoints = result.Checkpoints.Count,
            problems = result.Problems.Count,
            firstProblemSeq = first?.Seq,
            firstProblemKind = first?.Kind.ToString(),
            firstProblem = first?.Reason,
            notes = result.Notes.ToArray(),
        };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, row, transaction, cancellationToken: cancellationToken));
        var details = new { result.Events, result.FirstSeq, result.LastSeq, row.checkpoints, row.problems, row.firstProblemSeq, row.firstProblemKind, row.firstProblem };
        await audit.AppendAsync(
            connection, transaction, new AuditEntry(actor, result.IsValid ? "audit.verified" : "audit.verify-failed", SubjectType, id.ToString(), details), cancellationToken);
        if (first is not null)
        {
            var where = first.Seq is { } seq ? $"first bad sequence number {seq}" : "a checkpoint that names no sequence number";
            await AlertStore.RaiseAsync(
                connection,
                transaction,
                new Alert(AlertKinds.AuditVerifyFailed, SubjectType, id.ToString(), $"The audit trail does not verify: {where}: {first.Kind}: {first.Reason}", details),
                finishedAt,
                cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>The verification that finished last, or null when the trail was never verified here.</summary>
    public async Task<AuditVerificationRecord?> LatestAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, started_at, finished_at, actor, valid, events, first_seq, last_seq, checkpoints, problems,
                   first_problem_seq, first_problem_kind, first_problem, notes
            FROM audit_verifications
            ORDER BY finished_at DESC, id DESC
            LIMIT 1
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(sql, cancellationToken: cancellationToken));
        return row is null ? null : new AuditVerificationRecord(
            row.Id, Utc.From(row.StartedAt), Utc.From(row.FinishedAt), row.Actor, row.Valid, row.Events, row.FirstSeq, row.LastSeq, row.Checkpoints,
            row.Problems, row.FirstProblemSeq, row.FirstProblemKind, row.FirstProblem, row.Notes);
    }

    /// <summary>Settable properties, not a record: Dapper builds a record only when every column type matches a constructor's, and text[] does not.</summary>
    private sealed class Row
    {
        public Guid Id { get; set; }

        public DateTime StartedAt { get; set; }

        public DateTime FinishedAt { get; set; }

        public string Actor { get; set; } = string.Empty;

        public bool Valid { get; set; }

        public long Events { get; set; }

        public long? FirstSeq { get; set; }

        public long? LastSeq { get; set; }

        public int Checkpoints { get; set; }

        public int Problems { get; set; }

        public long? FirstProblemSeq { get; set; }

        public string? FirstProblemKind { get; set; }

        public string? FirstProblem { get; set; }

        public string[] Notes { get; set; } = [];
    }
}
