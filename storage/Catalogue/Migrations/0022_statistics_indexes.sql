-- Statistics (统计分析) and the recording search at the size of a city bureau: about 2,000 officers, a
-- million recordings and three million viewings a year. Each figure is counted over one time window, so
-- each table it counts gets an index on the time it is counted by; the rest are served by indexes that exist
-- (playback_sessions_started, case_activities_window, fixity_checks_problems).

-- When a recording started, as the search lists it and the statistics count it: the recorder's start, or
-- the time of ingest when the recorder reported none. Newest first with the id, the search's exact order,
-- so a page is read from the index without sorting every match; live footage only, as both see.
CREATE INDEX recordings_started ON recordings ((coalesce(recorder_started_at, ingested_at)) DESC, id DESC)
    WHERE disposed_at IS NULL;

-- A unit's footage over a window: statistics of a district, the search with a unit filter.
CREATE INDEX recordings_unit_started ON recordings (unit_code, (coalesce(recorder_started_at, ingested_at)))
    WHERE disposed_at IS NULL;

-- Dispositions by the day they were carried out: recordings_disposed, made by 0021 for the destruction register.

-- Viewing approvals and exports by the day they were asked for.
CREATE INDEX view_approvals_requested ON view_approvals (requested_at);
CREATE INDEX export_requests_requested ON export_requests (requested_at);

-- The footage linked to each activity: completeness of every full-recording activity in a window at once
-- (and the linker's relinking of one activity, which asked the same of every link until now).
CREATE INDEX recording_links_activity ON recording_links (activity_id) WHERE unlinked_at IS NULL AND activity_id IS NOT NULL;

-- Text found anywhere in an original's name (the search's q) is an ILIKE '%…%', which only a trigram index
-- serves. pg_trgm ships with PostgreSQL (Debian's postgresql package, the official container images) and is
-- a trusted extension: whoever may create a schema in the database, as the catalogue's owner must, may
-- create it. An extension belongs to the whole database but lives in one schema, and dropping that schema
-- would drop every index built on it in every catalogue of the database; so it is given a schema of its own,
-- never a catalogue's, once per database, under a lock (catalogues in several schemas may migrate at once).
-- Where a database already has it, in whatever schema, that one is used.
DO $$
DECLARE
    home text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('enforcement-media/extensions', 0));
    SELECT n.nspname INTO home
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_trgm';
    IF home IS NULL THEN
        CREATE SCHEMA IF NOT EXISTS enforcement_media_extensions;
        CREATE EXTENSION pg_trgm SCHEMA enforcement_media_extensions;
        home := 'enforcement_media_extensions';
    END IF;
    EXECUTE format('CREATE INDEX recordings_name_trgm ON recordings USING gin (original_name %I.gin_trgm_ops)', home);
END;
$$;
