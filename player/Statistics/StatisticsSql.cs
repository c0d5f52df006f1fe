using Enforcement.Media.Player.Visibility;

namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// The pieces every statistics query is made of, so that a figure and the list behind it
/// (<see cref="StatisticsRows"/>) select the same rows, and every figure narrows and groups alike. Each query
/// names its source row's recording <c>r</c> and the time it is counted by <c>e.event_at</c>
/// (<c>CROSS JOIN LATERAL (SELECT … AS event_at) e</c>, which the planner folds into the expression itself,
/// so an index on that expression serves it), and takes the parameters of <see cref="StatisticsScope.Parameters"/>.
/// </summary>
public static class StatisticsSql
{
    /// <summary>
    /// <c>unit_groups (unit_code, group_key)</c>: each unit under <c>@root</c> mapped to the direct sub-unit of
    /// <c>@root</c> it lies under, and <c>@root</c> to itself — so a bureau's figures by unit are its districts',
    /// each with its stations rolled in, and its own. With no root, each unit maps to its top-level unit.
    /// </summary>
    public const string UnitGroups = """
        unit_groups AS (
            SELECT ga.descendant_code AS unit_code, ga.ancestor_code AS group_key
            FROM unit_ancestry ga JOIN units gu ON gu.code = ga.ancestor_code
            WHERE gu.parent_code IS NOT DISTINCT FROM @root::text
            UNION ALL
            SELECT @root::text, @root::text WHERE @root::text IS NOT NULL)
        """;

    /// <summary>The columns of a grouped count: whether the row is the whole's, and its group's key.</summary>
    public const string GroupColumns = "GROUPING(k.group_key) = 1 AS is_total, k.group_key";

    /// <summary>What a grouped count joins after its source: the unit groups, and the group of each row (<see cref="GroupKey"/>).</summary>
    public const string GroupJoins = $"""
        LEFT JOIN unit_groups ug ON ug.unit_code = r.unit_code
        CROSS JOIN LATERAL (SELECT {GroupKey} AS group_key) k
        """;

    /// <summary>Every group and the whole in one pass; the whole is counted, not summed (<see cref="Grouped{T}"/>).</summary>
    public const string GroupingSets = "GROUP BY GROUPING SETS ((k.group_key), ())";

    /// <summary>The filters on the source's recording <c>r</c>: its unit among <c>@units</c>, its officer, its recorder.</summary>
    public const string Narrowing = """
        (@units::text[] IS NULL OR r.unit_code = ANY(@units))
        AND (@officer::text IS NULL OR r.officer_id = @officer)
        AND (@recorder::text IS NULL OR r.device_serial = @recorder)
        """;

    /// <summary>The window: <c>@from</c> inclusive, <c>@to</c> exclusive (the first instant after the last day).</summary>
    public const string InPeriod = "e.event_at >= @from AND e.event_at < @to";

    /// <summary>
    /// The group a source row falls in, through its recording: its unit's group (<see cref="UnitGroups"/>,
    /// joined as <c>ug</c> on the recording's unit), its officer, its recorder, or the local day or month of
    /// its time.
    /// </summary>
    public const string GroupKey = """
        CASE @groupBy::text
            WHEN 'unit' THEN ug.group_key
            WHEN 'officer' THEN r.officer_id
            WHEN 'recorder' THEN r.device_serial
            WHEN 'day' THEN to_char(e.event_at AT TIME ZONE @zone::text, 'YYYY-MM-DD')
            WHEN 'month' THEN to_char(e.event_at AT TIME ZONE @zone::text, 'YYYY-MM')
        END
        """;

    /// <summary>Recordings: live ones (<see cref="RecordingVisibility.Predicate"/>) counted by start time, as the recording search lists them.</summary>
    public const string RecordingsSource = """
        recordings r
        CROSS JOIN LATERAL (SELECT coalesce(r.recorder_started_at, r.ingested_at) AS event_at) e
        """;

    public const string RecordingsWhere = $"{RecordingVisibility.Predicate} AND {Narrowing} AND {InPeriod}";

    /// <summary>Dispositions: recordings disposed of in the window, of the caller's scope (a tombstone outlives its footage, as a ledger row does).</summary>
    public const string DispositionsSource = """
        recordings r
        CROSS JOIN LATERAL (SELECT r.disposed_at AS event_at) e
        """;

    public const string DispositionsWhere = $"r.disposed_at IS NOT NULL AND {RecordingVisibility.ScopePredicate} AND {Narrowing} AND {InPeriod}";

    /// <summary>Fixity findings: re-reads of an original that found it other than verified, by when they were made.</summary>
    public const string FixitySource = """
        fixity_checks f
        JOIN recordings r ON r.id = f.recording_id
        CROSS JOIN LATERAL (SELECT f.checked_at AS event_at) e
        """;

    public const string FixityWhere = $"f.outcome <> 'verified' AND {RecordingVisibility.ScopePredicate} AND {Narrowing} AND {InPeriod}";

    /// <summary>
    /// Viewings, by when they started: the access ledger's rows (<see cref="Ledger.LedgerStore"/>), of recordings
    /// in the caller's scope whether disposed of since or not, with their user <c>u</c> for the role.
    /// </summary>
    public const string ViewingsSource = """
        playback_sessions s
        JOIN recordings r ON r.id = s.recording_id
        JOIN users u ON u.id = s.user_id
        CROSS JOIN LATERAL (SELECT s.started_at AS event_at) e
        """;

    public const string ViewingsWhere = $"{RecordingVisibility.ScopePredicate} AND {Narrowing} AND {InPeriod}";

    /// <summary>Viewing approvals, by when they were asked for.</summary>
    public const string ApprovalsSource = """
        view_approvals a
        JOIN recordings r ON r.id = a.recording_id
        CROSS JOIN LATERAL (SELECT a.requested_at AS event_at) e
        """;

    public const string ApprovalsWhere = $"{RecordingVisibility.ScopePredicate} AND {Narrowing} AND {InPeriod}";

    /// <summary>
    /// Exports, one row for each recording they name, by when they were asked for. Only requests all of whose
    /// recordings are in the caller's scope, as the export register lists them; a request counts for a group
    /// (and passes a filter) through any of its recordings, and once in a total.
    /// </summary>
    public const string ExportsSource = """
        export_requests x
        JOIN export_items xi ON xi.export_id = x.id
        JOIN recordings r ON r.id = xi.recording_id
        CROSS JOIN LATERAL (SELECT x.requested_at AS event_at) e
        """;

    public const string ExportsWhere = $"""
        NOT EXISTS (SELECT 1 FROM export_items si JOIN recordings r ON r.id = si.recording_id
                    WHERE si.export_id = x.id AND NOT coalesce({RecordingVisibility.ScopePredicate}, false))
        AND {Narrowing} AND {InPeriod}
        """;

    /// <summary>
    /// Activities that must be recorded in full (<c>@fullTypes</c>), by when they started, in cases the caller
    /// may see (<see cref="CaseVisibility"/>): of the case's unit among <c>@units</c>, naming <c>@officer</c>.
    /// </summary>
    public const string ActivitiesSource = """
        case_activities a
        JOIN cases c ON c.id = a.case_id
        JOIN case_stages st ON st.id = a.stage_id
        CROSS JOIN LATERAL (SELECT a.starts_at AS event_at) e
        """;

    public const string ActivitiesWhere = $"""
        a.activity_type = ANY(@fullTypes) AND {CaseVisibility.Predicate}
        AND (@units::text[] IS NULL OR c.unit_code = ANY(@units))
        AND (@officer::text IS NULL OR @officer = ANY(a.officers))
        AND {InPeriod}
        """;

    /// <summary>The states of an export whose request was approved (built, or its build failed, since).</summary>
    public const string ExportApproved = "x.state IN ('approved', 'ready', 'failed')";
}
