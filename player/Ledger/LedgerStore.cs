using Dapper;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Catalogue;
using Npgsql;

namespace Enforcement.Media.Player.Ledger;

/// <summary>
/// SQL for the access ledger: viewings of recordings the reader may see (<see cref="RecordingVisibility"/>),
/// newest first, with their case numbers and merged watched intervals. The statistics' viewing figures count
/// these rows, and link here with the filters they were counted by.
/// </summary>
public sealed class LedgerStore(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<LedgerEntry>> ListAsync(Viewer reader, LedgerFilter filter, int limit, CancellationToken cancellationToken)
    {
        const string sql = $$"""
            SELECT s.id AS session_id, u.username AS user_name, s.recording_id, s.reason, s.variant, s.approval_id, s.client_address,
                   s.user_agent, s.started_at, s.ended_at, s.bytes_served,
                   coalesce((SELECT array_agg(DISTINCT c.case_number ORDER BY c.case_number)
                             FROM recording_links l JOIN cases c ON c.id = l.case_id
                             WHERE l.recording_id = r.id AND l.unlinked_at IS NULL), '{}') AS case_numbers
            FROM playback_sessions s
            JOIN recordings r ON r.id = s.recording_id
            JOIN users u ON u.id = s.user_id
            WHERE {{RecordingVisibility.ScopePredicate}}
              AND (@caseNumber::text IS NULL OR EXISTS (SELECT 1 FROM recording_links fl JOIN cases fc ON fc.id = fl.case_id
                                                       WHERE fl.recording_id = r.id AND fl.unlinked_at IS NULL AND fc.case_number = @caseNumber))
              AND (@recording::uuid IS NULL OR s.recording_id = @recording)
              AND (@user::text IS NULL OR lower(u.username) = lower(@user))
              AND (@from::timestamptz IS NULL OR s.started_at >= @from)
              AND (@to::timestamptz IS NULL OR s.started_at < @to)
              AND (@unit::text IS NULL
                   OR r.unit_code = ANY (ARRAY(SELECT fu.descendant_code FROM unit_ancestry fu WHERE @subunits AND fu.ancestor_code = @unit) || @unit::text))
              AND (@officer::text IS NULL OR r.officer_id = @officer)
              AND (@recorder::text IS NULL OR r.device_serial = @recorder)
              AND (@role::text IS NULL OR {{ViewerRole.Sql}} = @role)
              AND (@reason::text IS NULL OR s.reason = @reason)
            ORDER BY s.started_at DESC, s.id DESC
            LIMIT @limit
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<EntryRow>(new CommandDefinition(
            sql,
            new
            {
                viewerId = reader.UserId,
                viewerUnit = reader.UnitCode,
                caseNumber = filter.Case,
                recording = filter.Recording,
                user = filter.User,
                from = filter.From?.UtcDateTime,
                to = filter.To?.UtcDateTime,
                unit = filter.Unit,
                subunits = filter.Subunits,
                officer = filter.Officer,
                recorder = filter.Recorder,
                role = filter.Role,
                reason = filter.Reason,
                limit = Math.Clamp(limit, 1, 10_000),
            },
            cancellationToken: cancellationToken))).ToList();
        var watched = await WatchedAsync(connection, [.. rows.Select(r => r.SessionId)], cancellationToken);
        return [.. rows.Select(r => r.ToEntry(WatchedSpan.Merge(watched[r.SessionId])))];
    }

    /// <summary>Who watched which seconds of one recording, over all their viewings (the caller decides whether the reader may see it).</summary>
    public async Task<IReadOnlyList<WatchedByUser>> WatchedOfRecordingAsync(Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT u.username AS user_name, s.id AS session_id
            FROM playback_sessions s JOIN users u ON u.id = s.user_id
            WHERE s.recording_id = @recordingId
            ORDER BY u.username, s.started_at
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var sessions = (await connection.QueryAsync<(string UserName, Guid SessionId)>(new CommandDefinition(sql, new { recordingId }, cancellationToken: cancellationToken))).ToList();
        var watched = await WatchedAsync(connection, [.. sessions.Select(s => s.SessionId)], cancellationToken);
        return [.. sessions.GroupBy(s => s.UserName, StringComparer.Ordinal)
            .Select(g => new WatchedByUser(g.Key, g.Count(), WatchedSpan.Merge(g.SelectMany(s => watched[s.SessionId]))))];
    }

    private static async Task<ILookup<Guid, WatchedSpan>> WatchedAsync(NpgsqlConnection connection, Guid[] sessions, CancellationToken cancellationToken)
    {
        const string sql = "SELECT session_id, from_seconds, to_seconds FROM playback_watched WHERE session_id = ANY(@sessions) ORDER BY session_id, from_seconds";
        var rows = await connection.QueryAsync<(Guid SessionId, double From, double To)>(new CommandDefinition(sql, new { sessions }, cancellationToken: cancellationToken));
        return rows.ToLookup(r => r.SessionId, r => new WatchedSpan(r.From, r.To));
    }

    // Property-mapped because Dapper binds PostgreSQL arrays only through setters.
    private sealed class EntryRow
    {
        public Guid SessionId { get; set; }

        public string UserName { get; set; } = string.Empty;

        public Guid RecordingId { get; set; }

        public string Reason { get; set; } = string.Empty;

        public string Variant { get; set; } = string.Empty;

        public Guid? ApprovalId { get; set; }

        public string ClientAddress { get; set; } = string.Empty;

        public string UserAgent { get; set; } = string.Empty;

        public DateTime StartedAt { get; set; }

        public DateTime? EndedAt { get; set; }

        public long BytesServed { get; set; }

        public string[] CaseNumbers { get; set; } = [];

        public LedgerEntry ToEntry(IReadOnlyList<WatchedSpan> watched) => new(
            SessionId, UserName, RecordingId, CaseNumbers, Reason, Variant, ApprovalId, ClientAddress, UserAgent, Utc.From(StartedAt), Utc.From(EndedAt), watched, BytesServed);
    }
}
