-- Playback renditions, posters and scrubbing sprites (issue 4), with their provenance.
-- Every derivative is its own write-once object in stored_objects (kind rendition, thumbnail or
-- sprite, tied to its recording); the original is never changed.

-- One row per ffmpeg run that made (or failed to make) a derivative: the provenance. Append-only,
-- like the audit trail: a derivative made again is a new row and a new object, never an update.
-- The current derivative of a role is the newest succeeded row (see current_derivatives).
CREATE TABLE derivations (
    id                  uuid PRIMARY KEY,            -- UUIDv7: ordered by creation
    recording_id        uuid NOT NULL REFERENCES recordings (id),
    role                text NOT NULL CHECK (role IN ('playback', 'poster', 'sprite_sheet', 'sprite_track')),
    outcome             text NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
    object_id           uuid REFERENCES stored_objects (id),
    -- playback: remux | transcode; poster: frame | photo | waveform; sprite: keyframes | frames
    method              text NOT NULL,
    input_sha256        sha256_hex NOT NULL,         -- the original it was made from
    output_sha256       sha256_hex,
    tool                text NOT NULL,               -- ffmpeg, or the service itself for the WebVTT track
    tool_version        text NOT NULL,
    -- The exact argument list. The input appears as original:sha256:<hex> (ffmpeg read it through a
    -- short-lived loopback address) and the output by its file name: run it again on the original to
    -- make the derivative again.
    arguments           text[] NOT NULL,
    started_at          timestamptz NOT NULL,
    finished_at         timestamptz NOT NULL,
    -- Why it failed (ffmpeg's stderr tail), or what ffmpeg warned about when it succeeded.
    error_tail          text,
    width               integer,                     -- of the output, as ffprobe reads it back
    height              integer,
    duration_seconds    double precision,
    job_id              bigint,
    CHECK ((outcome = 'succeeded') = (object_id IS NOT NULL AND output_sha256 IS NOT NULL)),
    CHECK (outcome = 'succeeded' OR error_tail IS NOT NULL)
);
CREATE INDEX derivations_recording_role ON derivations (recording_id, role, id DESC);

CREATE FUNCTION derivations_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'derivations is append-only (provenance): % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER derivations_no_update_or_delete BEFORE UPDATE OR DELETE ON derivations
    FOR EACH ROW EXECUTE FUNCTION derivations_are_append_only();

-- What the player streams: the newest derivative of each role that was made successfully.
CREATE VIEW current_derivatives AS
SELECT DISTINCT ON (d.recording_id, d.role)
       d.recording_id, d.role, d.id AS derivation_id, d.method, d.width, d.height, d.duration_seconds,
       o.id AS object_id, o.store, o.object_key, o.version_id, o.sha256, o.size_bytes, o.content_type
FROM derivations d
JOIN stored_objects o ON o.id = d.object_id
WHERE d.outcome = 'succeeded'
ORDER BY d.recording_id, d.role, d.id DESC;

-- Scheduling (issue 4): media jobs of recordings linked to an open case jump the queue. The probe
-- job sets that priority when it queues them; this covers links made while they wait.
CREATE FUNCTION media_jobs_follow_case_links() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.unlinked_at IS NULL AND EXISTS (SELECT 1 FROM cases WHERE id = NEW.case_id AND status = 'open') THEN
        UPDATE jobs SET priority = priority + 100, updated_at = now()
        WHERE recording_id = NEW.recording_id AND kind IN ('rendition', 'thumbnails')
          AND state = 'queued' AND priority < 100;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER recording_links_raise_media_jobs AFTER INSERT ON recording_links
    FOR EACH ROW EXECUTE FUNCTION media_jobs_follow_case_links();
