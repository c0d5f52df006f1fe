-- The catalogue: what is stored where, what it is, and what happened to it.
-- Names are snake_case; every time is timestamptz (UTC); SHA-256 digests are lowercase hex text.

CREATE DOMAIN sha256_hex AS text CHECK (VALUE ~ '^[0-9a-f]{64}$');

-- Every object written to the evidence store, original or derived. Rows are never updated except
-- to record a longer retention, a legal hold change, or (issue 5) a disposition.
CREATE TABLE stored_objects (
    id              uuid PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('original', 'rendition', 'thumbnail', 'sprite',
                                                  'document', 'checkpoint', 'export')),
    store           text NOT NULL,          -- the store's name, e.g. s3://evidence or file:///srv/evidence
    object_key      text NOT NULL,
    version_id      text,                   -- S3 version id; null on the filesystem store
    sha256          sha256_hex NOT NULL,
    size_bytes      bigint NOT NULL CHECK (size_bytes >= 0),
    content_type    text,
    retain_until    timestamptz NOT NULL,
    legal_hold      boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL,
    UNIQUE NULLS NOT DISTINCT (store, object_key, version_id)
);
CREATE INDEX stored_objects_sha256 ON stored_objects (sha256);

-- One row per distinct original content (SHA-256). Deliveries of the same bytes are sources.
CREATE TABLE recordings (
    id                  uuid PRIMARY KEY,
    sha256              sha256_hex NOT NULL UNIQUE,
    size_bytes          bigint NOT NULL CHECK (size_bytes >= 0),
    original_object_id  uuid NOT NULL REFERENCES stored_objects (id),
    original_name       text NOT NULL,
    device_serial       text,
    officer_id          text,
    unit_code           text,
    -- The recorder's own start time as it reported it, and the offset (station clock minus
    -- recorder clock) when a station measured it: recorder clocks drift, so both are kept.
    recorder_started_at timestamptz,
    recorder_clock_offset_seconds integer,
    important           boolean NOT NULL DEFAULT false,
    -- Set when the bytes were stored but their delivery could not be verified (e.g. the station's
    -- hash did not match): the bytes are kept, never dropped, and the reason is shown.
    quarantine_reason   text,
    classification      text NOT NULL DEFAULT 'normal'
                        CHECK (classification IN ('normal', 'personal_privacy', 'commercial_secret', 'state_secret')),
    retention_class     text NOT NULL DEFAULT 'routine',
    retain_until        timestamptz NOT NULL,
    legal_hold          boolean NOT NULL DEFAULT false,
    ingested_at         timestamptz NOT NULL
);
CREATE INDEX recordings_officer_time ON recordings (officer_id, recorder_started_at);
CREATE INDEX recordings_device_time ON recordings (device_serial, recorder_started_at);

ALTER TABLE stored_objects ADD COLUMN recording_id uuid REFERENCES recordings (id);
CREATE INDEX stored_objects_recording ON stored_objects (recording_id);

-- Every delivery of a recording: which station, device or upload brought it, under what name.
CREATE TABLE recording_sources (
    id                  uuid PRIMARY KEY,
    recording_id        uuid NOT NULL REFERENCES recordings (id),
    source_kind         text NOT NULL CHECK (source_kind IN ('dock', 'station', 'upload', 'command')),
    station_id          text,
    original_path       text,
    original_name       text NOT NULL,
    file_modified_at    timestamptz,
    device_serial       text,
    officer_id          text,
    unit_code           text,
    recorder_started_at timestamptz,
    recorder_clock_offset_seconds integer,
    important           boolean NOT NULL DEFAULT false,
    case_code           text,
    claimed_sha256      text,
    claimed_md5         text,
    -- null: the source claimed no hash; true: the claim matched; false: it did not (quarantined).
    claim_verified      boolean,
    received_at         timestamptz NOT NULL
);
CREATE INDEX recording_sources_recording ON recording_sources (recording_id);

CREATE TABLE cases (
    id                  uuid PRIMARY KEY,
    case_number         text NOT NULL UNIQUE,
    unit_code           text,
    subject             text,
    enforcement_type    text,
    status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'archived')),
    opened_at           timestamptz NOT NULL,
    closed_at           timestamptz,
    archived_at         timestamptz,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);

CREATE TABLE case_stages (
    id                  uuid PRIMARY KEY,
    case_id             uuid NOT NULL REFERENCES cases (id),
    stage_code          text NOT NULL,
    ordinal             integer NOT NULL,
    UNIQUE (case_id, stage_code)
);

-- Links are never deleted: unlinking records who, when and why.
CREATE TABLE recording_links (
    id                  uuid PRIMARY KEY,
    recording_id        uuid NOT NULL REFERENCES recordings (id),
    case_id             uuid NOT NULL REFERENCES cases (id),
    stage_id            uuid REFERENCES case_stages (id),
    method              text NOT NULL CHECK (method IN ('auto', 'manual')),
    reason              text,
    linked_by           text NOT NULL,
    linked_at           timestamptz NOT NULL,
    unlinked_by         text,
    unlinked_at         timestamptz,
    unlink_reason       text
);
CREATE INDEX recording_links_recording ON recording_links (recording_id) WHERE unlinked_at IS NULL;
CREATE INDEX recording_links_case ON recording_links (case_id) WHERE unlinked_at IS NULL;

-- Audit: business transactions append to the outbox (cheap, no contention); the sealer moves
-- outbox rows into the hash chain in order, one sealer at a time. See storage/Audit.
CREATE TABLE audit_outbox (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at         timestamptz NOT NULL,
    actor               text NOT NULL,
    action              text NOT NULL,
    subject_type        text NOT NULL,
    subject_id          text NOT NULL,
    details             text NOT NULL       -- canonical JSON, hashed byte for byte
);

CREATE TABLE audit_events (
    seq                 bigint PRIMARY KEY CHECK (seq > 0),
    occurred_at         timestamptz NOT NULL,
    actor               text NOT NULL,
    action              text NOT NULL,
    subject_type        text NOT NULL,
    subject_id          text NOT NULL,
    details             text NOT NULL,
    prev_hash           bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
    hash                bytea NOT NULL CHECK (octet_length(hash) = 32)
);
CREATE INDEX audit_events_subject ON audit_events (subject_type, subject_id);

CREATE FUNCTION audit_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_are_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_are_append_only();

-- The work queue (PostgreSQL is the queue of record): claimed with FOR UPDATE SKIP LOCKED,
-- leased so a crashed worker's job is picked up again, retried with backoff.
CREATE TABLE jobs (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind                text NOT NULL,
    recording_id        uuid REFERENCES recordings (id),
    payload             jsonb NOT NULL DEFAULT '{}',
    priority            integer NOT NULL DEFAULT 0,
    state               text NOT NULL DEFAULT 'queued'
                        CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
    attempts            integer NOT NULL DEFAULT 0,
    max_attempts        integer NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
    run_after           timestamptz NOT NULL DEFAULT now(),
    lease_owner         text,
    lease_expires_at    timestamptz,
    last_error          text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    finished_at         timestamptz
);
CREATE INDEX jobs_ready ON jobs (priority DESC, id) WHERE state = 'queued';
CREATE INDEX jobs_leased ON jobs (lease_expires_at) WHERE state = 'running';
-- One live job per kind and recording: enqueueing again while one is pending is a no-op.
CREATE UNIQUE INDEX jobs_one_live_per_recording ON jobs (kind, recording_id)
    WHERE state IN ('queued', 'running') AND recording_id IS NOT NULL;
