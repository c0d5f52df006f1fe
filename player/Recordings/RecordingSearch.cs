using Dapper;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Catalogue;
using Npgsql;

namespace Enforcement.Media.Player.Recordings;

/// <summary>
/// Finds recordings among those the viewer may see (<see cref="RecordingVisibility"/>, which leaves out
/// footage disposed of), linked to a case or not — the way to footage no case leads to.
/// </summary>
public sealed class RecordingSearch(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// When a recording started, for filtering and order: the recorder's clock when it reported a start, else
    /// the time of ingest, so footage from a recorder that reported none is still found by day and sorted
    /// near when it arrived rather than dropped from every time window.
    /// </summary>
    private const string StartedAt = "coalesce(r.recorder_started_at, r.ingested_at)";

    /// <summary>A page of the recordings matching <paramref name="filter"/>, newest start first.</summary>
    public async Task<RecordingSearchPage> FindAsync(Viewer viewer, RecordingFilter filter, CancellationToken cancellationToken)
    {
        // Each absent filter is "@x IS NULL OR …": Npgsql sends an unnamed statement, which PostgreSQL plans
        // with the values given, so those branches fold away and the plan fits the filters actually used
        // (the officer and device indexes for those filters). The unit filter is an array of codes so that
        // it can be matched against an index on unit_code; a code that is no registered unit still matches
        // its own footage, and with subunits=false the unit's alone is all it holds. The order ends in the id so that the page boundary (SearchPosition) is exact.
        // The page is chosen from recordings alone and only its rows are joined to their probe and cases:
        // joined first, every match would be.
        const string sql = $"""
            WITH page AS (
                SELECT r.id, {StartedAt} AS started_at
                FROM recordings r
                WHERE {RecordingVisibility.Predicate}
                  AND (@officer::text IS NULL OR r.officer_id = @officer)
                  AND (@recorder::text IS NULL OR r.device_serial = @recorder)
                  AND (@unit::text IS NULL
                       OR r.unit_code = ANY (ARRAY(SELECT fu.descendant_code FROM unit_ancestry fu WHERE @subunits AND fu.ancestor_code = @unit) || @unit::text))
                  AND (@startSource::text IS NULL OR (r.recorder_started_at IS NOT NULL) = (@startSource = 'recorder'))
                  AND (@delayOver::double precision IS NULL OR {StorageDelay.Seconds} > @delayOver)
                  AND (@from::timestamptz IS NULL OR {StartedAt} >= @from)
                  AND (@to::timestamptz IS NULL OR {StartedAt} < @to)
                  AND (@linked::boolean IS NULL
                       OR @linked = EXISTS (SELECT 1 FROM recording_links fl WHERE fl.recording_id = r.id AND fl.unlinked_at IS NULL))
                  AND (@mediaState::text IS NULL OR r.media_state = @mediaState)
                  AND (NOT @quarantined OR r.quarantine_reason IS NOT NULL)
                  AND (@namePattern::text IS NULL
                       OR r.original_name ILIKE @namePattern ESCAPE '\'
                       OR (@hashFrom::text IS NOT NULL AND r.sha256 >= @hashFrom AND (@hashBefore::text IS NULL OR r.sha256 < @hashBefore)))
                  AND (@afterAt::timestamptz IS NULL OR ({StartedAt}, r.id) < (@afterAt, @afterId))
                ORDER BY {StartedAt} DESC, r.id DESC
                LIMIT @limit)
            SELECT r.id, r.original_name, r.officer_id, r.device_serial, r.unit_code,
                   page.started_at, r.recorder_started_at IS NOT NULL AS started_by_recorder,
                   p.duration_seconds, r.size_bytes, r.sha256, r.media_state,
                   r.quarantine_reason IS NOT NULL AS quarantined, r.classification,
                   ARRAY(SELECT DISTINCT c.case_number FROM recording_links l JOIN cases c ON c.id = l.case_id
                         WHERE l.recording_id = r.id AND l.unlinked_at IS NULL ORDER BY c.case_number) AS case_numbers
            FROM page
            JOIN recordings r ON r.id = page.id
            LEFT JOIN media_probes p ON p.recording_id = r.id
            ORDER BY page.started_at DESC, r.id DESC
            """;
        var text = filter.Text is null ? null : SearchText.Of(filter.Text);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<HitRow>(new CommandDefinition(
            sql,
            new
            {
                viewerId = viewer.UserId,
                viewerUnit = viewer.UnitCode,
                officer = filter.Officer,
                recorder = filter.Recorder,
                unit = filter.Unit,
                subunits = filter.Subunits,
                startSource = filter.StartSource,
                delayOver = filter.DelayOver?.TotalSeconds,
                from = filter.From?.UtcDateTime,
                to = filter.To?.UtcDateTime,
                linked = filter.Linked,
                mediaState = filter.State is RecordingFilter.Quarantined ? null : filter.State,
                quarantined = filter.State is RecordingFilter.Quarantined,
                namePattern = text?.NamePattern,
                hashFrom = text?.HashFrom,
                hashBefore = text?.HashBefore,
                afterAt = filter.After?.StartedAt.UtcDateTime,
                afterId = filter.After?.RecordingId,
                limit = filter.PageSize + 1, // one more than the page: whether a next page exists, without counting
            },
            cancellationToken: cancellationToken))).ToList();

        var hits = rows.Take(filter.PageSize).Select(r => new RecordingHit(
            r.Id, r.OriginalName, r.OfficerId, r.DeviceSerial, r.UnitCode, Utc.From(r.StartedAt), r.StartedByRecorder ? "recorder" : "ingest",
            r.DurationSeconds, r.SizeBytes, r.Sha256, r.MediaState, r.Quarantined, r.Classification, r.CaseNumbers)).ToList();
        var next = rows.Count > filter.PageSize ? new SearchPosition(hits[^1].StartedAt, hits[^1].RecordingId).Token : null;
        return new RecordingSearchPage(hits, next);
    }

    /// <summary>Settable properties, not a record: Dapper builds a record only when every column type matches a constructor's, and text[] does not.</summary>
    private sealed class HitRow
    {
        public Guid Id { get; set; }

        public string OriginalName { get; set; } = string.Empty;

        public string? OfficerId { get; set; }

        public string? DeviceSerial { get; set; }

        public string? UnitCode { get; set; }

        public DateTime StartedAt { get; set; }

        public bool StartedByRecorder { get; set; }

        public double? DurationSeconds { get; set; }

        public long SizeBytes { get; set; }

        public string Sha256 { get; set; } = string.Empty;

        public string MediaState { get; set; } = string.Empty;

        public bool Quarantined { get; set; }

        public string Classification { get; set; } = string.Empty;

        public string[] CaseNumbers { get; set; } = [];
    }
}
