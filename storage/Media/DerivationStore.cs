using Dapper;
using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Objects;
using Npgsql;

namespace Enforcement.Media.Storage.Media;

/// <summary>SQL for derivatives and their provenance (<c>derivations</c>, <c>current_derivatives</c>; migration 0006).</summary>
public sealed class DerivationStore(NpgsqlDataSource dataSource)
{
    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Derivation derivation, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO derivations (id, recording_id, role, outcome, object_id, method, input_sha256, output_sha256,
                                     tool, tool_version, arguments, started_at, finished_at, error_tail,
                                     width, height, duration_seconds, job_id, redaction_id, input_object_id)
            VALUES (@Id, @RecordingId, @Role, @Outcome, @ObjectId, @Method, @InputSha256, @OutputSha256,
                    @Tool, @ToolVersion, @Arguments, @StartedAt, @FinishedAt, @ErrorTail,
                    @Width, @Height, @DurationSeconds, @JobId, @RedactionId, @InputObjectId)
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new
            {
                derivation.Id,
                derivation.RecordingId,
                Role = derivation.Role.ToName(),
                Outcome = derivation.Succeeded ? "succeeded" : "failed",
                derivation.ObjectId,
                derivation.Method,
                InputSha256 = derivation.InputSha256.Hex,
                OutputSha256 = derivation.OutputSha256?.Hex,
                derivation.Tool,
                derivation.ToolVersion,
                Arguments = derivation.Arguments.ToArray(),
                StartedAt = derivation.StartedAt.UtcDateTime,
                FinishedAt = derivation.FinishedAt.UtcDateTime,
                derivation.ErrorTail,
                derivation.Width,
                derivation.Height,
                derivation.DurationSeconds,
                derivation.JobId,
                derivation.RedactionId,
                derivation.InputObjectId,
            },
            transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The catalogue row of an object already stored under this exact key — a content-addressed store
    /// keeps one copy of identical bytes, so a derivative made again can land on an existing object.
    /// </summary>
    public static async Task<Guid?> FindObjectAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string store, ObjectRef location, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id FROM stored_objects
            WHERE store = @store AND object_key = @Key AND version_id IS NOT DISTINCT FROM @VersionId
            """;
        return await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(sql, new { store, location.Key, location.VersionId }, transaction, cancellationToken: cancellationToken));
    }

    public async Task<bool> HasSucceededAsync(Guid recordingId, DerivationRole role, CancellationToken cancellationToken)
    {
        const string sql = "SELECT EXISTS (SELECT 1 FROM derivations WHERE recording_id = @recordingId AND role = @Role AND outcome = 'succeeded')";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { recordingId, Role = role.ToName() }, cancellationToken: cancellationToken));
    }

    /// <summary>Every attempt for a recording, oldest first: the full provenance.</summary>
    public async Task<IReadOnlyList<Derivation>> ListAsync(Guid recordingId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<DerivationRow>(new CommandDefinition(
            SelectAttempts + " WHERE recording_id = @recordingId ORDER BY id", new { recordingId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToDerivation())];
    }

    /// <summary>Every attempt made for one redaction (its output and any publication copies of it), oldest first.</summary>
    public async Task<IReadOnlyList<Derivation>> ListForRedactionAsync(Guid redactionId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<DerivationRow>(new CommandDefinition(
            SelectAttempts + " WHERE redaction_id = @redactionId ORDER BY id", new { redactionId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToDerivation())];
    }

    /// <summary>Every column of an attempt, as <see cref="DerivationRow"/> reads it.</summary>
    private const string SelectAttempts = """
        SELECT id, recording_id, role, outcome, object_id, method, input_sha256, output_sha256, tool, tool_version,
               arguments, started_at, finished_at, error_tail, width, height, duration_seconds, job_id,
               redaction_id, input_object_id
        FROM derivations
        """;

    /// <summary>The derivatives the player streams, one per role that has succeeded at least once.</summary>
    public async Task<IReadOnlyList<CurrentDerivative>> CurrentAsync(Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT recording_id, role, derivation_id, method, width, height, duration_seconds, object_id, store,
                   object_key, version_id, sha256, size_bytes, content_type
            FROM current_derivatives
            WHERE recording_id = @recordingId
            ORDER BY role
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<CurrentRow>(new CommandDefinition(sql, new { recordingId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToCurrent())];
    }

    /// <summary>A class with setters rather than a positional record: Dapper matches constructors by exact field type, and text[] reads as System.Array.</summary>
    private sealed class DerivationRow
    {
        public Guid Id { get; init; }

        public Guid RecordingId { get; init; }

        public string Role { get; init; } = "";

        public string Outcome { get; init; } = "";

        public Guid? ObjectId { get; init; }

        public string Method { get; init; } = "";

        public string InputSha256 { get; init; } = "";

        public string? OutputSha256 { get; init; }

        public string Tool { get; init; } = "";

        public string ToolVersion { get; init; } = "";

        public string[] Arguments { get; init; } = [];

        public DateTime StartedAt { get; init; }

        public DateTime FinishedAt { get; init; }

        public string? ErrorTail { get; init; }

        public int? Width { get; init; }

        public int? Height { get; init; }

        public double? DurationSeconds { get; init; }

        public long? JobId { get; init; }

        public Guid? RedactionId { get; init; }

        public Guid? InputObjectId { get; init; }

        public Derivation ToDerivation() => new(
            Id, RecordingId, DerivationRoleNames.Parse(Role), Outcome == "succeeded", ObjectId, Method, Sha256Digest.Parse(InputSha256),
            OutputSha256 is null ? null : Sha256Digest.Parse(OutputSha256), Tool, ToolVersion, Arguments, Utc(StartedAt), Utc(FinishedAt),
            ErrorTail, Width, Height, DurationSeconds, JobId, RedactionId, InputObjectId);
    }

    private sealed record CurrentRow(
        Guid RecordingId, string Role, Guid DerivationId, string Method, int? Width, int? Height, double? DurationSeconds, Guid ObjectId,
        string Store, string ObjectKey, string? VersionId, string Sha256, long SizeBytes, string? ContentType)
    {
        public CurrentDerivative ToCurrent() => new(
            RecordingId, DerivationRoleNames.Parse(Role), DerivationId, Method, Width, Height, DurationSeconds, ObjectId, Store,
            new ObjectRef(ObjectKey, VersionId), Sha256Digest.Parse(Sha256), SizeBytes, ContentType);
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
