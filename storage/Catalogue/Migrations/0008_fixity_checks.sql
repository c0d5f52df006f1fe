-- Issue 7: fixity. Every re-read of a stored original and what it found, for the supervisors' page
-- (each result is also an audit event). Append-only, like the audit trail: a finding is never edited.
CREATE TABLE fixity_checks (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id              uuid NOT NULL,
    object_id           uuid NOT NULL REFERENCES stored_objects (id),
    recording_id        uuid REFERENCES recordings (id),
    store               text NOT NULL,
    object_key          text NOT NULL,
    version_id          text,
    outcome             text NOT NULL CHECK (outcome IN ('verified', 'mismatch', 'missing', 'unreadable')),
    expected_sha256     sha256_hex NOT NULL,
    actual_sha256       sha256_hex,
    expected_size       bigint NOT NULL,
    actual_size         bigint,
    reason              text,
    checked_at          timestamptz NOT NULL,
    duration_ms         integer NOT NULL CHECK (duration_ms >= 0)
);
-- The sampler asks "when was this object last verified"; the page asks "what is wrong, newest first".
CREATE INDEX fixity_checks_object ON fixity_checks (object_id, checked_at DESC);
CREATE INDEX fixity_checks_problems ON fixity_checks (checked_at DESC) WHERE outcome <> 'verified';
CREATE TRIGGER fixity_checks_no_update_or_delete BEFORE UPDATE OR DELETE ON fixity_checks
    FOR EACH ROW EXECUTE FUNCTION audit_events_are_append_only();
CREATE TRIGGER fixity_checks_no_truncate BEFORE TRUNCATE ON fixity_checks
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_are_append_only();

-- The latest finding per object: what the supervisors' page lists.
CREATE VIEW fixity_latest AS
    SELECT DISTINCT ON (object_id) id, run_id, object_id, recording_id, store, object_key, version_id, outcome,
           expected_sha256, actual_sha256, expected_size, actual_size, reason, checked_at, duration_ms
    FROM fixity_checks
    ORDER BY object_id, checked_at DESC, id DESC;
