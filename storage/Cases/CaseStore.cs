using Dapper;
using Enforcement.Media.Storage.Catalogue;
using Npgsql;

namespace Enforcement.Media.Storage.Cases;

/// <summary>SQL for cases, their stages and activities, and the officer registry. Methods join the caller's transaction.</summary>
public static class CaseStore
{
    /// <summary>Serialises submissions of one case number, so two updates cannot interleave.</summary>
    public static async Task LockCaseNumberAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string caseNumber, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtextextended('case/' || @caseNumber, 0))", new { caseNumber }, transaction, cancellationToken: cancellationToken));

    public static async Task<CaseRecord?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string caseNumber, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, case_number, unit_code, subject, enforcement_type, status, opened_at, closed_at, archived_at, flags, reopened_at
            FROM cases WHERE case_number = @caseNumber
            """;
        var row = await connection.QuerySingleOrDefaultAsync<CaseRow>(new CommandDefinition(sql, new { caseNumber }, transaction, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public static async Task<CaseRecord?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid caseId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, case_number, unit_code, subject, enforcement_type, status, opened_at, closed_at, archived_at, flags, reopened_at
            FROM cases WHERE id = @caseId
            """;
        var row = await connection.QuerySingleOrDefaultAsync<CaseRow>(new CommandDefinition(sql, new { caseId }, transaction, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CaseRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO cases (id, case_number, unit_code, subject, enforcement_type, status, opened_at, closed_at,
                               archived_at, flags, reopened_at, created_at, updated_at)
            VALUES (@Id, @CaseNumber, @UnitCode, @Subject, @EnforcementType, @Status, @OpenedAt, @ClosedAt,
                    @ArchivedAt, @Flags, @ReopenedAt, @Now, @Now)
            """;
        await connection.ExecuteAsync(new CommandDefinition(sql, Parameters(record, now), transaction, cancellationToken: cancellationToken));
    }

    public static async Task UpdateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CaseRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE cases
            SET unit_code = @UnitCode, subject = @Subject, enforcement_type = @EnforcementType, status = @Status,
                opened_at = @OpenedAt, closed_at = @ClosedAt, archived_at = @ArchivedAt, flags = @Flags,
                reopened_at = @ReopenedAt, updated_at = @Now
            WHERE id = @Id
            """;
        await connection.ExecuteAsync(new CommandDefinition(sql, Parameters(record, now), transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Creates the taxonomy's stages the case does not have yet; returns stage ids by code.</summary>
    public static async Task<IReadOnlyDictionary<string, Guid>> EnsureStagesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid caseId, IReadOnlyList<StageDefinition> taxonomy, CancellationToken cancellationToken)
    {
        const string insert = """
            INSERT INTO case_stages (id, case_id, stage_code, ordinal, name)
            VALUES (@Id, @CaseId, @Code, @Ordinal, @Name)
            ON CONFLICT (case_id, stage_code) DO NOTHING
            """;
        for (var i = 0; i < taxonomy.Count; i++)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                insert, new { Id = Guid.CreateVersion7(), CaseId = caseId, taxonomy[i].Code, Ordinal = i + 1, taxonomy[i].Name }, transaction, cancellationToken: cancellationToken));
        }

        const string select = "SELECT stage_code, id FROM case_stages WHERE case_id = @caseId";
        var rows = await connection.QueryAsync<(string Code, Guid Id)>(new CommandDefinition(select, new { caseId }, transaction, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Code, r => r.Id, StringComparer.Ordinal);
    }

    public static async Task<IReadOnlyList<ActivityRecord>> ActivitiesAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid caseId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT a.id, a.case_id, a.stage_id, s.stage_code, a.external_id, a.activity_type AS type,
                   a.starts_at, a.ends_at, a.place, a.officers
            FROM case_activities a JOIN case_stages s ON s.id = a.stage_id
            WHERE a.case_id = @caseId
            ORDER BY s.ordinal, a.starts_at, a.external_id
            """;
        var rows = await connection.QueryAsync<ActivityRow>(new CommandDefinition(sql, new { caseId }, transaction, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    public static async Task<ActivityRecord?> ActivityAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid activityId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT a.id, a.case_id, a.stage_id, s.stage_code, a.external_id, a.activity_type AS type,
                   a.starts_at, a.ends_at, a.place, a.officers
            FROM case_activities a JOIN case_stages s ON s.id = a.stage_id
            WHERE a.id = @activityId
            """;
        var row = await connection.QuerySingleOrDefaultAsync<ActivityRow>(new CommandDefinition(sql, new { activityId }, transaction, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public static async Task InsertActivityAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ActivityRecord activity, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO case_activities (id, case_id, stage_id, external_id, activity_type, starts_at, ends_at, place, officers, created_at, updated_at)
            VALUES (@Id, @CaseId, @StageId, @ExternalId, @Type, @StartsAt, @EndsAt, @Place, @Officers, @Now, @Now)
            """;
        await connection.ExecuteAsync(new CommandDefinition(sql, ActivityParameters(activity, now), transaction, cancellationToken: cancellationToken));
    }

    public static async Task UpdateActivityAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ActivityRecord activity, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE case_activities
            SET stage_id = @StageId, activity_type = @Type, starts_at = @StartsAt, ends_at = @EndsAt,
                place = @Place, officers = @Officers, updated_at = @Now
            WHERE id = @Id
            """;
        await connection.ExecuteAsync(new CommandDefinition(sql, ActivityParameters(activity, now), transaction, cancellationToken: cancellationToken));
    }

    public static async Task<IReadOnlySet<string>> KnownOfficersAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var ids = await connection.QueryAsync<string>(new CommandDefinition("SELECT officer_id FROM officers", cancellationToken: cancellationToken));
        return ids.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Registers an officer or changes their name or unit; returns what the registry said before (null
    /// for a new officer), or nothing when nothing changed.
    /// </summary>
    public static async Task<(bool Changed, string? PreviousName, string? PreviousUnit)> UpsertOfficerAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string officerId, string? name, string? unitCode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string before = "SELECT name, unit_code FROM officers WHERE officer_id = @officerId FOR UPDATE";
        const string sql = """
            INSERT INTO officers (officer_id, name, unit_code, updated_at) VALUES (@officerId, @name, @unitCode, @Now)
            ON CONFLICT (officer_id) DO UPDATE SET name = excluded.name, unit_code = excluded.unit_code, updated_at = excluded.updated_at
            """;
        var previous = await connection.QuerySingleOrDefaultAsync<(string? Name, string? UnitCode)?>(new CommandDefinition(before, new { officerId }, transaction, cancellationToken: cancellationToken));
        if (previous is { } p && p.Name == name && p.UnitCode == unitCode)
        {
            return (false, p.Name, p.UnitCode);
        }

        await connection.ExecuteAsync(new CommandDefinition(sql, new { officerId, name, unitCode, Now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken));
        return (true, previous?.Name, previous?.UnitCode);
    }

    /// <summary>Recordings with a live link to the case (for retention and relinking after a change).</summary>
    public static async Task<IReadOnlyList<Guid>> LinkedRecordingsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid caseId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT DISTINCT recording_id FROM recording_links WHERE case_id = @caseId AND unlinked_at IS NULL";
        return [.. await connection.QueryAsync<Guid>(new CommandDefinition(sql, new { caseId }, transaction, cancellationToken: cancellationToken))];
    }

    private static object Parameters(CaseRecord record, DateTimeOffset now) => new
    {
        record.Id,
        record.CaseNumber,
        record.UnitCode,
        record.Subject,
        record.EnforcementType,
        record.Status,
        OpenedAt = record.OpenedAt.UtcDateTime,
        ClosedAt = record.ClosedAt?.UtcDateTime,
        ArchivedAt = record.ArchivedAt?.UtcDateTime,
        Flags = record.Flags.ToArray(),
        ReopenedAt = record.ReopenedAt?.UtcDateTime,
        Now = now.UtcDateTime,
    };

    private static object ActivityParameters(ActivityRecord activity, DateTimeOffset now) => new
    {
        activity.Id,
        activity.CaseId,
        activity.StageId,
        activity.ExternalId,
        activity.Type,
        StartsAt = activity.StartsAt.UtcDateTime,
        EndsAt = activity.EndsAt.UtcDateTime,
        activity.Place,
        Officers = activity.Officers.ToArray(),
        Now = now.UtcDateTime,
    };

    // Property-mapped (not positional) because Dapper binds PostgreSQL arrays only through setters.
    private sealed class CaseRow
    {
        public Guid Id { get; set; }

        public string CaseNumber { get; set; } = string.Empty;

        public string? UnitCode { get; set; }

        public string? Subject { get; set; }

        public string? EnforcementType { get; set; }

        public string Status { get; set; } = string.Empty;

        public DateTime OpenedAt { get; set; }

        public DateTime? ClosedAt { get; set; }

        public DateTime? ArchivedAt { get; set; }

        public string[] Flags { get; set; } = [];

        public DateTime? ReopenedAt { get; set; }

        public CaseRecord ToRecord() => new(
            Id, CaseNumber, UnitCode, Subject, EnforcementType, Status, Utc.From(OpenedAt), Utc.From(ClosedAt), Utc.From(ArchivedAt), Flags, Utc.From(ReopenedAt));
    }

}
