using Dapper;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Catalogue;
using Npgsql;

namespace Enforcement.Media.Storage.Recorders;

/// <summary>
/// SQL for the recorder register (执法记录仪台账, migration 0019). A manager sees and changes the recorders
/// of their unit and the units under it (the unit tree, <c>unit_ancestry</c>), no others; a user of no unit
/// sees none. Every change is an audit event (subject: the recorder's serial) committed with it, and a set
/// of entries is saved all or nothing. Docking, clock and recordings facts are read from the deliveries
/// each time, never copied into the register.
/// </summary>
public sealed class RecorderStore(NpgsqlDataSource dataSource, AuditTrail audit, TimeProvider time)
{
    public const string SubjectType = "recorder";

    /// <summary>The most entries one save (a CSV import) may hold: the register of a whole city fits.</summary>
    public const int MaxEntries = 20_000;

    /// <summary>
    /// Creates or updates these entries, all or none: a serial twice, an unknown unit, a unit outside the
    /// manager's, or a recorder another unit holds is a problem of its line and nothing is saved. A recorder
    /// set retired or lost is taken back from its officer at once. <paramref name="via"/> says how the
    /// entries came (<c>api</c>, <c>page</c>, <c>csv</c>) in each audit event.
    /// </summary>
    /// <param name="inputProblems">
    /// What was found wrong with the input before (those rows are not among <paramref name="entries"/>): with
    /// any, nothing is saved, but the entries are checked all the same, so one answer names every problem.
    /// </param>
    public async Task<RecorderSaveReport> SaveAsync(
        IReadOnlyList<(int Line, RecorderInput Input)> entries, IReadOnlyList<RecorderProblem> inputProblems, string? viewerUnit, string actor, string via, CancellationToken cancellationToken)
    {
        var problems = DuplicateSerials(entries);
        problems.AddRange(inputProblems);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        problems.AddRange(await UnitProblemsAsync(connection, transaction, entries, viewerUnit, cancellationToken));

        // Locked in serial order, so two imports touching the same recorders wait for each other instead of deadlocking.
        const string existing = $"""
            SELECT serial, model, unit_code, status, notes, {ViewerSees} AS visible
            FROM recorders rec WHERE serial = ANY(@serials) ORDER BY serial FOR UPDATE
            """;
        var current = (await connection.QueryAsync<Existing>(new CommandDefinition(
                existing, new { serials = entries.Select(e => e.Input.Serial).Distinct().ToArray(), viewerUnit }, transaction, cancellationToken: cancellationToken)))
            .ToDictionary(e => e.Serial, StringComparer.Ordinal);
        problems.AddRange(entries
            .Where(e => current.TryGetValue(e.Input.Serial, out var found) && !found.Visible)
            .Select(e => new RecorderProblem(e.Line, "serial", $"recorder {e.Input.Serial} is registered to a unit outside yours; a manager of that unit must change it", IsConflict: true)));
        if (problems.Count > 0)
        {
            return new RecorderSaveReport(0, 0, 0, [.. problems.DistinctBy(p => (p.Line, p.Field)).OrderBy(p => p.Line)]);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var events = new List<AuditEntry>();
        var (created, updated, unchanged) = (0, 0, 0);
        foreach (var (line, input) in entries)
        {
            var source = line > 0 ? (object)new { via, line } : new { via };
            if (!current.TryGetValue(input.Serial, out var before))
            {
                await InsertAsync(connection, transaction, input, actor, now, cancellationToken);
                events.Add(new AuditEntry(actor, "recorder.registered", SubjectType, input.Serial, new { input.Model, unit = input.UnitCode, input.Status, input.Notes, source }));
                created++;
            }
            else if (Changes(before, input) is { Count: > 0 } changes)
            {
                await UpdateAsync(connection, transaction, input, actor, now, cancellationToken);
                events.Add(new AuditEntry(actor, "recorder.updated", SubjectType, input.Serial, new { changes, source }));
                updated++;
            }
            else
            {
                unchanged++;
                continue;
            }

            if (RecorderStatus.EndsUse(input.Status) && await EndCurrentAsync(connection, transaction, input.Serial, now, actor, cancellationToken) is { } ended)
            {
                events.Add(new AuditEntry(actor, "recorder.returned", SubjectType, input.Serial, new { officer = ended.OfficerId, at = ended.At, because = input.Status, source }));
            }
        }

        await audit.AppendManyAsync(connection, events, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RecorderSaveReport(created, updated, unchanged, []);
    }

    /// <summary>
    /// Hands the recorder to <paramref name="officerId"/> from <paramref name="from"/>, ending the period of
    /// whoever had it then; with no officer, takes it back at <paramref name="from"/>. False when the manager
    /// cannot see the recorder; <see cref="RecorderConflictException"/> when the handover cannot be so (not
    /// in service, with nobody, dated before the current period began or overlapping one on record).
    /// Handing it to the officer who has it already changes nothing. <paramref name="via"/> as for <see cref="SaveAsync"/>.
    /// </summary>
    public async Task<bool> AssignAsync(string serial, string? officerId, DateTimeOffset from, string? viewerUnit, string actor, string via, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        const string recorder = $"SELECT status FROM recorders rec WHERE serial = @serial AND {ViewerSees} FOR UPDATE";
        var status = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(recorder, new { serial, viewerUnit }, transaction, cancellationToken: cancellationToken));
        if (status is null)
        {
            return false;
        }

        const string open = "SELECT id, officer_id, assigned_from FROM recorder_assignments WHERE serial = @serial AND assigned_to IS NULL";
        var current = await connection.QuerySingleOrDefaultAsync<OpenPeriod>(new CommandDefinition(open, new { serial }, transaction, cancellationToken: cancellationToken));
        if (officerId is not null && current?.OfficerId == officerId)
        {
            return true;
        }

        if (officerId is not null && status != RecorderStatus.InService)
        {
            throw new RecorderConflictException($"Recorder {serial} is {status}, not in service: only a recorder in service is handed to an officer.");
        }

        if (officerId is null && current is null)
        {
            throw new RecorderConflictException($"Recorder {serial} is with nobody: there is no period to end.");
        }

        if (current is not null && from.UtcDateTime <= current.AssignedFrom)
        {
            throw new RecorderConflictException(
                $"Recorder {serial} has been with officer {current.OfficerId} since {Utc.From(current.AssignedFrom):u}: a handover cannot be dated at or before that.");
        }

        try
        {
            if (current is not null)
            {
                const string end = "UPDATE recorder_assignments SET assigned_to = @from, ended_by = @actor WHERE id = @id";
                await connection.ExecuteAsync(new CommandDefinition(end, new { current.Id, from = from.UtcDateTime, actor }, transaction, cancellationToken: cancellationToken));
            }

            if (officerId is not null)
            {
                const string insert = """
                    INSERT INTO recorder_assignments (id, serial, officer_id, assigned_from, assigned_by)
                    VALUES (@id, @serial, @officerId, @from, @actor)
                    """;
                await connection.ExecuteAsync(new CommandDefinition(
                    insert, new { id = Guid.CreateVersion7(from), serial, officerId, from = from.UtcDateTime, actor }, transaction, cancellationToken: cancellationToken));
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ExclusionViolation)
        {
            throw new RecorderConflictException($"Recorder {serial} cannot be assigned from {from:u}: {ex.MessageText}.");
        }

        var previous = current is null ? null : new { officer = current.OfficerId, from = Utc.From(current.AssignedFrom) };
        var entry = officerId is null
            ? new AuditEntry(actor, "recorder.returned", SubjectType, serial, new { officer = current!.OfficerId, at = from, source = new { via } })
            : new AuditEntry(actor, "recorder.assigned", SubjectType, serial, new { officer = officerId, from, previous, source = new { via } });
        await audit.AppendAsync(connection, transaction, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The recorders the viewer may see that match <paramref name="filter"/>, by serial, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<RecorderRecord>> ListAsync(RecorderFilter filter, string? viewerUnit, int limit, CancellationToken cancellationToken)
    {
        const string sql = $"""
            {Select}
            WHERE {ViewerSees}
              AND (@unit::text IS NULL OR EXISTS (SELECT 1 FROM unit_ancestry f WHERE f.ancestor_code = @unit AND f.descendant_code = rec.unit_code))
              AND (@status::text IS NULL OR rec.status = @status)
              AND (@text::text IS NULL OR strpos(upper(concat_ws(' ', rec.serial, rec.model, rec.notes, cur.officer_id)), upper(@text)) > 0)
            ORDER BY rec.serial
            LIMIT @limit
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            sql, new { viewerUnit, unit = filter.Unit, status = filter.Status, text = filter.Text, limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>The recorder, when the viewer may see it.</summary>
    public async Task<RecorderRecord?> FindAsync(string serial, string? viewerUnit, CancellationToken cancellationToken)
    {
        const string sql = $"{Select} WHERE rec.serial = @serial AND {ViewerSees}";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(sql, new { serial, viewerUnit }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>Every period of the recorder with an officer, newest first (ask <see cref="FindAsync"/> first whether the viewer may see it).</summary>
    public async Task<IReadOnlyList<RecorderAssignment>> HistoryAsync(string serial, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT a.id, a.serial, a.officer_id, a.assigned_from, a.assigned_to, a.assigned_by, a.ended_by,
                   EXISTS (SELECT 1 FROM officers o WHERE o.officer_id = a.officer_id) AS officer_known
            FROM recorder_assignments a WHERE a.serial = @serial ORDER BY a.assigned_from DESC
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<PeriodRow>(new CommandDefinition(sql, new { serial }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new RecorderAssignment(r.Id, r.Serial, r.OfficerId, Utc.From(r.AssignedFrom), Utc.From(r.AssignedTo), r.AssignedBy, r.EndedBy, r.OfficerKnown))];
    }

    /// <summary>
    /// Serials that recordings of the viewer's units carry and the register does not know, the most
    /// recently seen first: recorders in use that nobody registered, or serials mistyped at a station.
    /// </summary>
    public async Task<IReadOnlyList<UnregisteredSerial>> UnregisteredAsync(string? viewerUnit, int limit, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT upper(btrim(r.device_serial)) AS serial, count(*) AS recordings,
                   min(r.ingested_at) AS first_seen_at, max(r.ingested_at) AS last_seen_at,
                   coalesce(array_agg(DISTINCT r.officer_id ORDER BY r.officer_id) FILTER (WHERE r.officer_id IS NOT NULL), ARRAY[]::text[]) AS officers,
                   coalesce(array_agg(DISTINCT r.unit_code ORDER BY r.unit_code) FILTER (WHERE r.unit_code IS NOT NULL), ARRAY[]::text[]) AS units
            {UnregisteredRecordings}
            GROUP BY 1
            ORDER BY last_seen_at DESC, serial
            LIMIT @limit
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<UnregisteredRow>(new CommandDefinition(sql, new { viewerUnit, limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new UnregisteredSerial(r.Serial, r.Recordings, Utc.From(r.FirstSeenAt), Utc.From(r.LastSeenAt), r.Officers, r.Units))];
    }

    /// <summary>How many serials <see cref="UnregisteredAsync"/> would list without a limit.</summary>
    public async Task<long> UnregisteredCountAsync(string? viewerUnit, CancellationToken cancellationToken)
    {
        const string sql = $"SELECT count(DISTINCT upper(btrim(r.device_serial))) {UnregisteredRecordings}";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { viewerUnit }, cancellationToken: cancellationToken));
    }

    /// <summary>Whether the recorder (alias <c>rec</c>) belongs to <c>@viewerUnit</c> or a unit under it; a unit is its own ancestor at depth 0.</summary>
    private const string ViewerSees = "EXISTS (SELECT 1 FROM unit_ancestry vu WHERE vu.ancestor_code = @viewerUnit AND vu.descendant_code = rec.unit_code)";

    /// <summary>
    /// Recordings of the viewer's units whose serial the register does not know. Disposed recordings count:
    /// the footage is gone, the fact that the recorder was used is not.
    /// </summary>
    private const string UnregisteredRecordings = """
        FROM recordings r
        WHERE btrim(r.device_serial) <> ''
          AND EXISTS (SELECT 1 FROM unit_ancestry vu WHERE vu.ancestor_code = @viewerUnit AND vu.descendant_code = r.unit_code)
          AND NOT EXISTS (SELECT 1 FROM recorders rec WHERE rec.serial = upper(btrim(r.device_serial)))
        """;

    /// <summary>
    /// The register row with its current period and what the deliveries say, each through the indexes of
    /// migration 0019 on the normalised serial. Every recording counts, disposed ones too: the register is
    /// about the recorder, not the footage, and shows no footage.
    /// </summary>
    private const string Select = """
        SELECT rec.serial, rec.model, rec.unit_code, rec.status, rec.notes, rec.created_at, rec.created_by, rec.updated_at, rec.updated_by,
               cur.officer_id AS current_officer_id, cur.assigned_from AS current_since,
               (SELECT count(*) FROM recordings r WHERE upper(btrim(r.device_serial)) = rec.serial) AS recordings,
               docked.first_docked_at, docked.last_docked_at, clock.last_clock_offset_seconds, clock.clock_measured_at
        FROM recorders rec
        LEFT JOIN recorder_assignments cur ON cur.serial = rec.serial AND cur.assigned_to IS NULL
        LEFT JOIN LATERAL (
            SELECT min(s.received_at) AS first_docked_at, max(s.received_at) AS last_docked_at
            FROM recording_sources s
            WHERE upper(btrim(s.device_serial)) = rec.serial AND s.source_kind IN ('dock', 'station')) docked ON true
        LEFT JOIN LATERAL (
            SELECT s.recorder_clock_offset_seconds AS last_clock_offset_seconds, s.received_at AS clock_measured_at
            FROM recording_sources s
            WHERE upper(btrim(s.device_serial)) = rec.serial AND s.source_kind IN ('dock', 'station') AND s.recorder_clock_offset_seconds IS NOT NULL
            ORDER BY s.received_at DESC LIMIT 1) clock ON true
        """;

    private static List<RecorderProblem> DuplicateSerials(IReadOnlyList<(int Line, RecorderInput Input)> entries)
    {
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<RecorderProblem>();
        foreach (var (line, input) in entries)
        {
            if (!firstLine.TryAdd(input.Serial, line))
            {
                problems.Add(new RecorderProblem(line, "serial", $"recorder {input.Serial} appears again (first on line {firstLine[input.Serial]}); each recorder is one row"));
            }
        }

        return problems;
    }

    private static async Task<IEnumerable<RecorderProblem>> UnitProblemsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(int Line, RecorderInput Input)> entries, string? viewerUnit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT u.code, EXISTS (SELECT 1 FROM unit_ancestry vu WHERE vu.ancestor_code = @viewerUnit AND vu.descendant_code = u.code) AS mine
            FROM units u WHERE u.code = ANY(@codes)
            """;
        var units = (await connection.QueryAsync<(string Code, bool Mine)>(new CommandDefinition(
                sql, new { codes = entries.Select(e => e.Input.UnitCode).Distinct().ToArray(), viewerUnit }, transaction, cancellationToken: cancellationToken)))
            .ToDictionary(u => u.Code, u => u.Mine, StringComparer.Ordinal);
        return entries
            .Where(e => !units.TryGetValue(e.Input.UnitCode, out var mine) || !mine)
            .Select(e => new RecorderProblem(
                e.Line,
                "unit",
                units.ContainsKey(e.Input.UnitCode) ? $"unit {e.Input.UnitCode} is neither yours nor under yours" : $"there is no unit {e.Input.UnitCode}"));
    }

    private static Task<int> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RecorderInput input, string actor, DateTime now, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO recorders (serial, model, unit_code, status, notes, created_at, created_by, updated_at, updated_by)
            VALUES (@Serial, @Model, @UnitCode, @Status, @Notes, @now, @actor, @now, @actor)
            """;
        return connection.ExecuteAsync(new CommandDefinition(sql, new { input.Serial, input.Model, input.UnitCode, input.Status, input.Notes, now, actor }, transaction, cancellationToken: cancellationToken));
    }

    private static Task<int> UpdateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RecorderInput input, string actor, DateTime now, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE recorders SET model = @Model, unit_code = @UnitCode, status = @Status, notes = @Notes, updated_at = @now, updated_by = @actor
            WHERE serial = @Serial
            """;
        return connection.ExecuteAsync(new CommandDefinition(sql, new { input.Serial, input.Model, input.UnitCode, input.Status, input.Notes, now, actor }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Ends the recorder's open period now (or just after it began, for one dated a moment ahead); its officer and the end, or null when it was with nobody.</summary>
    private static async Task<(string OfficerId, DateTimeOffset At)?> EndCurrentAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string serial, DateTime now, string actor, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE recorder_assignments SET assigned_to = greatest(@now, assigned_from + interval '1 second'), ended_by = @actor
            WHERE serial = @serial AND assigned_to IS NULL
            RETURNING officer_id, assigned_to
            """;
        var ended = await connection.QuerySingleOrDefaultAsync<EndedPeriod>(new CommandDefinition(sql, new { serial, now, actor }, transaction, cancellationToken: cancellationToken));
        return ended is null ? null : (ended.OfficerId, Utc.From(ended.AssignedTo));
    }

    /// <summary>What an update changes, field by field (before, after), for the audit event; empty when nothing does.</summary>
    private static Dictionary<string, string?[]> Changes(Existing before, RecorderInput after)
    {
        var changes = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        void Compare(string field, string? was, string? now)
        {
            if (!string.Equals(was, now, StringComparison.Ordinal))
            {
                changes[field] = [was, now];
            }
        }

        Compare("model", before.Model, after.Model);
        Compare("unit", before.UnitCode, after.UnitCode);
        Compare("status", before.Status, after.Status);
        Compare("notes", before.Notes, after.Notes);
        return changes;
    }

    private sealed record Existing(string Serial, string? Model, string UnitCode, string Status, string? Notes, bool Visible);

    private sealed record EndedPeriod(string OfficerId, DateTime AssignedTo);

    private sealed record OpenPeriod(Guid Id, string OfficerId, DateTime AssignedFrom);

    private sealed record PeriodRow(Guid Id, string Serial, string OfficerId, DateTime AssignedFrom, DateTime? AssignedTo, string AssignedBy, string? EndedBy, bool OfficerKnown);

    /// <summary>Settable, not positional: Dapper matches a constructor by exact field types, and a text[] column does not report itself as string[].</summary>
    private sealed class UnregisteredRow
    {
        public string Serial { get; set; } = string.Empty;

        public long Recordings { get; set; }

        public DateTime FirstSeenAt { get; set; }

        public DateTime LastSeenAt { get; set; }

        public string[] Officers { get; set; } = [];

        public string[] Units { get; set; } = [];
    }

    private sealed record Row(
        string Serial, string? Model, string UnitCode, string Status, string? Notes, DateTime CreatedAt, string CreatedBy, DateTime UpdatedAt, string UpdatedBy,
        string? CurrentOfficerId, DateTime? CurrentSince, long Recordings, DateTime? FirstDockedAt, DateTime? LastDockedAt, int? LastClockOffsetSeconds, DateTime? ClockMeasuredAt)
    {
        public RecorderRecord ToRecord() => new(
            Serial, Model, UnitCode, Status, Notes, Utc.From(CreatedAt), CreatedBy, Utc.From(UpdatedAt), UpdatedBy, CurrentOfficerId, Utc.From(CurrentSince),
            Recordings, Utc.From(FirstDockedAt), Utc.From(LastDockedAt), LastClockOffsetSeconds, Utc.From(ClockMeasuredAt));
    }

    /// <summary>
    /// Whether the register knows the serial a delivery reports, matched as the register keeps serials
    /// (trimmed, upper case); in the caller's transaction (the archive's, which raises an alert when not).
    /// </summary>
    public static async Task<bool> IsRegisteredAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string serial, CancellationToken cancellationToken)
    {
        const string sql = "SELECT EXISTS (SELECT 1 FROM recorders WHERE serial = upper(btrim(@serial)))";
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { serial }, transaction, cancellationToken: cancellationToken));
    }
}
