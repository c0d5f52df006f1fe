using Dapper;
using Enforcement.Media.Player.Display;
using Enforcement.Media.Player.Filters;
using Enforcement.Media.Storage.Catalogue;
using Npgsql;

namespace Enforcement.Media.Player.Retention;

/// <summary>
/// The destruction register (销毁清册): every recording disposed of in a period, read from its tombstone (the
/// catalogue's record of it, kept forever), its disposition entry and the confirmations of the deleted
/// object versions — never from anything that could have been deleted with the footage.
/// </summary>
public sealed class DestructionRegister(NpgsqlDataSource dataSource)
{
    /// <summary>The most entries one answer holds: a period with more is refused, never cut short — a register is whole or it is not one.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>
    /// Reads <c>from</c> (inclusive) and <c>to</c> (exclusive; a plain date means through that day in the display
    /// time zone), as the ledger and the recording search read them; refused by field when malformed or when
    /// <c>to</c> is not after <c>from</c>.
    /// </summary>
    public static (DateTimeOffset? From, DateTimeOffset? To) Period(string? from, string? to, LocalClock clock)
    {
        var start = Instant(from, "from", endOfDay: false, clock);
        var end = Instant(to, "to", endOfDay: true, clock);
        return start is not null && end is not null && end <= start
            ? throw new RetentionRequestException("to", "The end of the period (to) is after its start (from).")
            : (start, end);
    }

    /// <summary>The disposals of the period, oldest first; refused when there are more than <see cref="MaxEntries"/>.</summary>
    public async Task<IReadOnlyList<DestructionRegisterEntry>> ListAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT r.disposed_at, r.id AS recording_id, r.original_name, r.sha256, r.size_bytes,
                   coalesce((SELECT array_agg(DISTINCT c.case_number ORDER BY c.case_number)
                             FROM recording_links l JOIN cases c ON c.id = l.case_id
                             WHERE l.recording_id = r.id AND l.unlinked_at IS NULL), '{}') AS case_numbers,
                   r.retention_class, q.retention_rule, r.retain_until AS retained_until,
                   q.proposed_by, q.proposed_at, q.proposal_reason,
                   coalesce(q.decided_by, r.disposed_by) AS approved_by, coalesce(q.decided_at, r.disposed_at) AS approved_at,
                   coalesce(q.decision_reason, r.disposal_reason) AS approval_reason,
                   coalesce((SELECT array_agg(o.kind ORDER BY o.created_at, o.id) FROM stored_objects o
                             WHERE o.recording_id = r.id AND o.deleted_at IS NOT NULL), '{}') AS deleted_objects,
                   coalesce((SELECT string_agg(o.deletion_confirmation, '; ' ORDER BY o.created_at, o.id) FROM stored_objects o
                             WHERE o.recording_id = r.id AND o.deleted_at IS NOT NULL), '') AS store_confirmation
            FROM recordings r
            LEFT JOIN disposition_queue q ON q.recording_id = r.id AND q.state = 'disposed'
            WHERE r.disposed_at IS NOT NULL
              AND (@from::timestamptz IS NULL OR r.disposed_at >= @from)
              AND (@to::timestamptz IS NULL OR r.disposed_at < @to)
            ORDER BY r.disposed_at, r.id
            LIMIT @limit
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            sql, new { from = from?.UtcDateTime, to = to?.UtcDateTime, limit = MaxEntries + 1 }, cancellationToken: cancellationToken))).ToList();
        if (rows.Count > MaxEntries)
        {
            throw new RetentionRequestException("from", $"More than {MaxEntries:N0} recordings were disposed of in this period: choose a shorter one (from, to).");
        }

        return [.. rows.Select(r => new DestructionRegisterEntry(
            Utc.From(r.DisposedAt), r.RecordingId, r.OriginalName, r.Sha256, r.SizeBytes, r.CaseNumbers, r.RetentionClass, r.RetentionRule, Utc.From(r.RetainedUntil),
            r.ProposedBy, Utc.From(r.ProposedAt), r.ProposalReason, r.ApprovedBy, Utc.From(r.ApprovedAt), r.ApprovalReason, r.DeletedObjects, r.StoreConfirmation))];
    }

    private static DateTimeOffset? Instant(string? value, string field, bool endOfDay, LocalClock clock) =>
        string.IsNullOrWhiteSpace(value)
            ? null
            : QueryInstant.TryParse(value, endOfDay, clock, out var instant)
                ? instant
                : throw new RetentionRequestException(field, $"The {field} of the period is a date (yyyy-MM-dd) or an ISO 8601 time.");

    // Property-mapped because Dapper binds PostgreSQL arrays only through setters.
    private sealed class Row
    {
        public DateTime DisposedAt { get; set; }

        public Guid RecordingId { get; set; }

        public string OriginalName { get; set; } = string.Empty;

        public string Sha256 { get; set; } = string.Empty;

        public long SizeBytes { get; set; }

        public string[] CaseNumbers { get; set; } = [];

        public string RetentionClass { get; set; } = string.Empty;

        public string? RetentionRule { get; set; }

        public DateTime RetainedUntil { get; set; }

        public string? ProposedBy { get; set; }

        public DateTime? ProposedAt { get; set; }

        public string? ProposalReason { get; set; }

        public string? ApprovedBy { get; set; }

        public DateTime? ApprovedAt { get; set; }

        public string? ApprovalReason { get; set; }

        public string[] DeletedObjects { get; set; } = [];

        public string StoreConfirmation { get; set; } = string.Empty;
    }
}
