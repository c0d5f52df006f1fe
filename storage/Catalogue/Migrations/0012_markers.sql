-- Markers (issue 6 §6): a reviewer marks a moment of a recording with a note. A marker is a finding
-- about evidence, so like the audit trail it is never edited or deleted — a correction is a new
-- marker. Guarded by the append-only trigger, the application role gets SELECT and INSERT only
-- (apply_application_grants, 0007). Each marker is also an audit event about its recording.
CREATE TABLE recording_markers (
    id                  uuid PRIMARY KEY,                -- UUIDv7: ordered by creation
    recording_id        uuid NOT NULL REFERENCES recordings (id),
    at_seconds          double precision NOT NULL CHECK (at_seconds >= 0 AND at_seconds < 'Infinity'),
    note                text NOT NULL CHECK (length(btrim(note)) > 0 AND length(note) <= 2000),
    created_by          uuid NOT NULL REFERENCES users (id),
    created_by_actor    text NOT NULL,                   -- user:<name>, as the audit trail names them
    created_at          timestamptz NOT NULL
);
CREATE INDEX recording_markers_recording ON recording_markers (recording_id, at_seconds);
CREATE TRIGGER recording_markers_no_update_or_delete BEFORE UPDATE OR DELETE ON recording_markers
    FOR EACH ROW EXECUTE FUNCTION audit_events_are_append_only();
CREATE TRIGGER recording_markers_no_truncate BEFORE TRUNCATE ON recording_markers
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_are_append_only();
