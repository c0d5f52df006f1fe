using System.Text.Json;
using Dapper;
using Enforcement.Media.Storage.Jobs;
using Npgsql;

namespace Enforcement.Media.Storage.Redactions;

/// <summary>
/// SQL for <c>suggestion_runs</c> and <c>redaction_suggestions</c> (migration 0017). A run and its job are
/// created in one transaction; a run's suggestions are stored in the transaction that makes it ready, so a
/// retried job never doubles them; a decision is recorded once and then kept.
/// </summary>
public sealed class SuggestionStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>One frame a second: a face in view for a second or more is seen at least once.</summary>
    public const double DefaultSampleSeconds = 1;

    /// <summary>What a run says looked before the worker took it; the worker replaces it with exactly what ran.</summary>
    public const string RequestedDetector = "opencv face cascades";

    /// <summary>Below a redaction render (someone is waiting for that output too), above renditions and thumbnails.</summary>
    public const int JobPriority = 40;

    /// <summary>A second try covers a store hiccup; anything else fails the same way again.</summary>
    public const int JobAttempts = 2;

    /// <summary>
    /// A new run for the recording, queued with its job; or, when a run is already queued or running there,
    /// that run (the jobs table allows one live suggestions job per recording).
    /// </summary>
    public async Task<SuggestionRunRequest> RequestAsync(Guid recordingId, Guid requestedBy, double sampleSeconds, CancellationToken cancellationToken)
    {
        if (!double.IsFinite(sampleSeconds) || sampleSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleSeconds), sampleSeconds, "The sampling interval is a positive number of seconds.");
        }

        const string insert = """
            INSERT INTO suggestion_runs (id, recording_id, requested_by, requested_at, state, detector, sample_seconds)
            VALUES (@id, @recordingId, @requestedBy, @now, 'queued', @detector, @sampleSeconds)
            """;
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await FailOrphansAsync(connection, transaction, recordingId, now, cancellationToken);
            if (await LiveRunIdAsync(connection, transaction, recordingId, cancellationToken) is { } live)
            {
                await transaction.CommitAsync(cancellationToken);
                return new SuggestionRunRequest((await FindAsync(live, cancellationToken))!, Created: false);
            }

            await connection.ExecuteAsync(new CommandDefinition(
                insert,
                new { id, recordingId, requestedBy, now = now.UtcDateTime, detector = RequestedDetector, sampleSeconds },
                transaction,
                cancellationToken: cancellationToken));
            var job = await JobQueue.EnqueueAsync(
                connection, transaction, new JobRequest(JobKinds.Suggestions, recordingId, new { runId = id }, JobPriority, JobAttempts), cancellationToken);
            if (job is not null)
            {
                await transaction.CommitAsync(cancellationToken);
                return new SuggestionRunRequest((await FindAsync(id, cancellationToken))!, Created: true);
            }

            // Another request's run and job were committed meanwhile (the job insert waited for it).
            await transaction.RollbackAsync(cancellationToken);
        }

        if (await LiveRunIdAsync(connection, null, recordingId, cancellationToken) is { } other)
        {
            return new SuggestionRunRequest((await FindAsync(other, cancellationToken))!, Created: false);
        }

        throw new InvalidOperationException($"The suggestions job of recording {recordingId} is still finishing its last run; ask again in a moment.");
    }

    /// <summary>The worker took the run: queued (or running, on a retry) → running, naming what looks. Null when the run is no longer live.</summary>
    public async Task<SuggestionRun?> StartAsync(Guid runId, string detector, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE suggestion_runs SET state = 'running', detector = @detector
            WHERE id = @runId AND state IN ('queued', 'running')
            """;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            if (await connection.ExecuteAsync(new CommandDefinition(sql, new { runId, detector }, cancellationToken: cancellationToken)) != 1)
            {
                return null;
            }
        }

        return await FindAsync(runId, cancellationToken);
    }

    /// <summary>
    /// The run is ready: its suggestions stored and the frames it examined counted, in one transaction.
    /// False when the run was not running (already finished by an earlier attempt): nothing is stored.
    /// </summary>
    public async Task<bool> CompleteAsync(Guid runId, int framesExamined, IReadOnlyList<SuggestionFinding> findings, CancellationToken cancellationToken)
    {
        const string ready = """
            UPDATE suggestion_runs SET state = 'ready', frames_examined = @framesExamined, finished_at = @now
            WHERE id = @runId AND state = 'running'
            """;
        const string insert = """
            INSERT INTO redaction_suggestions (id, run_id, kind, keyframes, score)
            SELECT s.id, @runId, s.kind, s.keyframes::jsonb, s.score
            FROM unnest(@ids, @kinds, @keyframes, @scores) AS s (id, kind, keyframes, score)
            """;
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteAsync(new CommandDefinition(
                ready, new { runId, framesExamined, now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken)) != 1)
        {
            return false;
        }

        if (findings.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                insert,
                new
                {
                    runId,
                    ids = findings.Select(_ => Guid.CreateVersion7(now)).ToArray(),
                    kinds = findings.Select(f => f.Kind).ToArray(),
                    keyframes = findings.Select(f => JsonSerializer.Serialize(f.Keyframes, RedactionSpec.Json)).ToArray(),
                    scores = findings.Select(f => f.Score).ToArray(),
                },
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The run failed for the reason a person reads. False when it had already finished.</summary>
    public async Task<bool> FailAsync(Guid runId, string reason, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE suggestion_runs SET state = 'failed', failure = @reason, finished_at = @now
            WHERE id = @runId AND state IN ('queued', 'running')
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            sql, new { runId, reason, now = time.GetUtcNow().UtcDateTime }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>A run with its suggestions (in the order the detector first saw them).</summary>
    public async Task<SuggestionRun?> FindAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(
            SelectRun + " WHERE id = @runId", new { runId }, cancellationToken: cancellationToken));
        return row is null ? null : row.ToRun(await SuggestionsAsync(connection, runId, cancellationToken));
    }

    /// <summary>The recording's newest run, whatever its state.</summary>
    public async Task<SuggestionRun?> LatestAsync(Guid recordingId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(
            SelectRun + " WHERE recording_id = @recordingId ORDER BY requested_at DESC, id DESC LIMIT 1", new { recordingId }, cancellationToken: cancellationToken));
        return row is null ? null : row.ToRun(await SuggestionsAsync(connection, row.Id, cancellationToken));
    }

    /// <summary>The recording a suggestion was found in, or null when there is no such suggestion.</summary>
    public async Task<Guid?> RecordingOfSuggestionAsync(Guid suggestionId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT r.recording_id FROM redaction_suggestions s JOIN suggestion_runs r ON r.id = s.run_id
            WHERE s.id = @suggestionId
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(sql, new { suggestionId }, cancellationToken: cancellationToken));
    }

    /// <summary>Records a reviewer's decision on one suggestion. Given once: the same answer again changes nothing, the other is refused.</summary>
    public async Task<SuggestionDecisionOutcome> DecideAsync(Guid suggestionId, Guid userId, string decision, CancellationToken cancellationToken)
    {
        if (!SuggestionDecision.IsValid(decision))
        {
            throw new ArgumentException($"A decision is '{SuggestionDecision.Accepted}' or '{SuggestionDecision.Rejected}', not '{decision}'.", nameof(decision));
        }

        const string sql = """
            UPDATE redaction_suggestions SET decision = @decision, decided_by = @userId, decided_at = @now
            WHERE id = @suggestionId AND decision IS NULL
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await connection.ExecuteAsync(new CommandDefinition(
                sql, new { suggestionId, userId, decision, now = time.GetUtcNow().UtcDateTime }, cancellationToken: cancellationToken)) == 1)
        {
            return SuggestionDecisionOutcome.Recorded;
        }

        var existing = await connection.QuerySingleOrDefaultAsync<(bool Found, string? Decision)>(new CommandDefinition(
            "SELECT true, decision FROM redaction_suggestions WHERE id = @suggestionId", new { suggestionId }, cancellationToken: cancellationToken));
        return !existing.Found ? SuggestionDecisionOutcome.NotFound
            : existing.Decision == decision ? SuggestionDecisionOutcome.AlreadyRecorded
            : SuggestionDecisionOutcome.Conflict;
    }

    /// <summary>
    /// A live run whose job is gone (its worker died on the last attempt) would answer every later request
    /// for ever: it is failed instead, so the request makes a new one.
    /// </summary>
    private static Task<int> FailOrphansAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid recordingId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE suggestion_runs r
            SET state = 'failed', finished_at = @now,
                failure = 'The suggestions job stopped before the run finished (its worker stopped and it ran out of attempts).'
            WHERE r.recording_id = @recordingId AND r.state IN ('queued', 'running') AND NOT EXISTS (
                SELECT 1 FROM jobs j
                WHERE j.kind = @kind AND j.recording_id = r.recording_id AND j.state IN ('queued', 'running')
                  AND j.payload ->> 'runId' = r.id::text)
            """;
        return connection.ExecuteAsync(new CommandDefinition(
            sql, new { recordingId, now = now.UtcDateTime, kind = JobKinds.Suggestions }, transaction, cancellationToken: cancellationToken));
    }

    private static Task<Guid?> LiveRunIdAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid recordingId, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            """
            SELECT id FROM suggestion_runs
            WHERE recording_id = @recordingId AND state IN ('queued', 'running')
            ORDER BY requested_at DESC, id DESC LIMIT 1
            """,
            new { recordingId },
            transaction,
            cancellationToken: cancellationToken));

    private static async Task<IReadOnlyList<Suggestion>> SuggestionsAsync(NpgsqlConnection connection, Guid runId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, run_id, kind, keyframes::text AS keyframes, score, decision, decided_by, decided_at
            FROM redaction_suggestions WHERE run_id = @runId ORDER BY (keyframes -> 0 ->> 't')::double precision, id
            """;
        var rows = await connection.QueryAsync<SuggestionRow>(new CommandDefinition(sql, new { runId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToSuggestion())];
    }

    private const string SelectRun = """
        SELECT id, recording_id, requested_by, requested_at, state, detector, sample_seconds, frames_examined, finished_at, failure
        FROM suggestion_runs
        """;

    private sealed record RunRow(
        Guid Id, Guid RecordingId, Guid RequestedBy, DateTime RequestedAt, string State, string Detector, double SampleSeconds,
        int? FramesExamined, DateTime? FinishedAt, string? Failure)
    {
        public SuggestionRun ToRun(IReadOnlyList<Suggestion> suggestions) => new(
            Id, RecordingId, RequestedBy, Utc(RequestedAt), State, Detector, SampleSeconds, FramesExamined,
            FinishedAt is { } finished ? Utc(finished) : null, Failure, suggestions);
    }

    private sealed record SuggestionRow(
        Guid Id, Guid RunId, string Kind, string Keyframes, double? Score, string? Decision, Guid? DecidedBy, DateTime? DecidedAt)
    {
        public Suggestion ToSuggestion() => new(
            Id, RunId, Kind, JsonSerializer.Deserialize<List<RegionKeyframe>>(Keyframes, RedactionSpec.Json) ?? [], Score, Decision, DecidedBy,
            DecidedAt is { } decided ? Utc(decided) : null);
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
