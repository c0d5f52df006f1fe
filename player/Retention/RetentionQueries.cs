using Dapper;
using Enforcement.Media.Storage.Catalogue;
using Npgsql;

namespace Enforcement.Media.Player.Retention;

/// <summary>SQL behind the records managers' pages: one recording's retention facts, holds and decisions, and the lists.</summary>
public sealed class RetentionQueries(NpgsqlDataSource dataSource)
{
    /// <summary>The recording with this id, or with this SHA-256 (64 hex digits); null when there is none.</summary>
    public async Task<Guid?> FindAsync(string idOrSha256, CancellationToken cancellationToken)
    {
        var text = idOrSha256.Trim();
        if (Guid.TryParse(text, out var id))
        {
            const string byId = "SELECT id FROM recordings WHERE id = @id";
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(byId, new { id }, cancellationToken: cancellationToken));
        }

        if (text.Length == 64 && text.All(char.IsAsciiHexDigit))
        {
            const string bySha = "SELECT id FROM recordings WHERE sha256 = @sha256";
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(bySha, new { sha256 = text.ToLowerInvariant() }, cancellationToken: cancellationToken));
        }

        return null;
    }

    internal async Task<RecordingRow?> RecordingAsync(Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT r.id, r.sha256, r.size_bytes, r.original_name, r.classification, r.retention_class, r.retain_until,
                   r.legal_hold, r.retention_flags, r.ingested_at, r.disposed_at, r.disposed_by, r.disposal_reason,
                   coalesce((SELECT array_agg(DISTINCT c.case_number ORDER BY c.case_number)
                             FROM recording_links l JOIN cases c ON c.id = l.case_id
                             WHERE l.recording_id = r.id AND l.unlinked_at IS NULL), '{}') AS case_numbers
            FROM recordings r WHERE r.id = @recordingId
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<RecordingRow>(new CommandDefinition(sql, new { recordingId }, cancellationToken: cancellationToken));
    }

    /// <summary>Holds of one recording (all of them), or every active hold when <paramref name="recordingId"/> is null.</summary>
    public async Task<IReadOnlyList<LegalHoldRecord>> HoldsAsync(Guid? recordingId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT h.id, h.recording_id, r.original_name, h.reason, h.placed_by, h.placed_at, h.released_by, h.released_at, h.release_reason
            FROM legal_holds h JOIN recordings r ON r.id = h.recording_id
            WHERE (@recordingId::uuid IS NULL AND h.released_at IS NULL) OR h.recording_id = @recordingId
            ORDER BY h.placed_at DESC
            LIMIT 1000
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<HoldRow>(new CommandDefinition(sql, new { recordingId }, cancellationToken: cancellationToken));
        return [.. rows.Select(h => new LegalHoldRecord(h.Id, h.RecordingId, h.OriginalName, h.Reason, h.PlacedBy, Utc.From(h.PlacedAt), h.ReleasedBy, Utc.From(h.ReleasedAt), h.ReleaseReason))];
    }

    /// <summary>The hold's recording, when the hold exists.</summary>
    public async Task<Guid?> RecordingOfHoldAsync(Guid holdId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition("SELECT recording_id FROM legal_holds WHERE id = @holdId", new { holdId }, cancellationToken: cancellationToken));
    }

    /// <summary>Disposition entries of one recording, or the latest decided entries of all when <paramref name="recordingId"/> is null.</summary>
    public async Task<IReadOnlyList<DispositionDecision>> DecisionsAsync(Guid? recordingId, int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT q.recording_id, r.original_name, q.state, q.queued_at, q.proposed_by, q.proposed_at, q.proposal_reason,
                   q.decided_by, q.decided_at, q.decision_reason, q.outcome
            FROM disposition_queue q JOIN recordings r ON r.id = q.recording_id
            WHERE (@recordingId::uuid IS NULL AND q.state <> 'pending') OR q.recording_id = @recordingId
            ORDER BY coalesce(q.decided_at, q.queued_at) DESC
            LIMIT @limit
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<DecisionRow>(new CommandDefinition(sql, new { recordingId, limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(d => new DispositionDecision(
            d.RecordingId, d.OriginalName, d.State, Utc.From(d.QueuedAt), d.ProposedBy, Utc.From(d.ProposedAt), d.ProposalReason, d.DecidedBy, Utc.From(d.DecidedAt), d.DecisionReason, d.Outcome))];
    }

    // Property-mapped because Dapper binds PostgreSQL arrays only through setters.
    internal sealed class RecordingRow
    {
        public Guid Id { get; set; }

        public string Sha256 { get; set; } = string.Empty;

        public long SizeBytes { get; set; }

        public string OriginalName { get; set; } = string.Empty;

        public string Classification { get; set; } = string.Empty;

        public string RetentionClass { get; set; } = string.Empty;

        public DateTime RetainUntil { get; set; }

        public bool LegalHold { get; set; }

        public string[] RetentionFlags { get; set; } = [];

        public DateTime IngestedAt { get; set; }

        public DateTime? DisposedAt { get; set; }

        public string? DisposedBy { get; set; }

        public string? DisposalReason { get; set; }

        public string[] CaseNumbers { get; set; } = [];
    }

    private sealed record HoldRow(Guid Id, Guid RecordingId, string OriginalName, string Reason, string PlacedBy, DateTime PlacedAt, string? ReleasedBy, DateTime? ReleasedAt, string? ReleaseReason);

    private sealed record DecisionRow(
        Guid RecordingId, string OriginalName, string State, DateTime QueuedAt, string? ProposedBy, DateTime? ProposedAt, string? ProposalReason,
        string? DecidedBy, DateTime? DecidedAt, string? DecisionReason, string? Outcome);
}
