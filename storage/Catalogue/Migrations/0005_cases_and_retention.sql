-- Cases as the agency's case system sends them, the activities inside their stages, the
-- documents of a case, and what retention and disposition need to stay enforceable.

ALTER TABLE cases
    ADD COLUMN flags text[] NOT NULL DEFAULT '{}',          -- e.g. obstruction, major_incident
    ADD COLUMN reopened_at timestamptz;

ALTER TABLE case_stages
    ADD COLUMN name text;

CREATE TABLE case_activities (
    id                  uuid PRIMARY KEY,
    case_id             uuid NOT NULL REFERENCES cases (id),
    stage_id            uuid NOT NULL REFERENCES case_stages (id),
    external_id         text NOT NULL,                      -- the case system's id for it
    activity_type       text NOT NULL,
    starts_at           timestamptz NOT NULL,
    ends_at             timestamptz NOT NULL,
    place               text,
    officers            text[] NOT NULL DEFAULT '{}',
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    UNIQUE (case_id, external_id),
    CHECK (ends_at >= starts_at)
);
CREATE INDEX case_activities_window ON case_activities (starts_at, ends_at);
CREATE INDEX case_activities_officers ON case_activities USING gin (officers);

-- Officers the agency knows (警号), so activities naming someone unknown can be flagged.
CREATE TABLE officers (
    officer_id          text PRIMARY KEY,
    name                text,
    unit_code           text,
    updated_at          timestamptz NOT NULL
);

CREATE TABLE case_documents (
    id                  uuid PRIMARY KEY,
    case_id             uuid NOT NULL REFERENCES cases (id),
    stage_id            uuid REFERENCES case_stages (id),
    title               text NOT NULL,
    object_id           uuid NOT NULL REFERENCES stored_objects (id),
    added_by            text NOT NULL,
    added_at            timestamptz NOT NULL
);

ALTER TABLE recording_links
    ADD COLUMN activity_id uuid REFERENCES case_activities (id);
-- One live automatic link per recording and activity: re-running the linker changes nothing.
CREATE UNIQUE INDEX recording_links_one_live_auto ON recording_links (recording_id, activity_id)
    WHERE unlinked_at IS NULL AND method = 'auto';

-- Retention: the class, why, and what the store must hold. stored_objects.retain_until and
-- legal_hold mirror what was last applied to (and read back from) the store.
ALTER TABLE recordings
    ADD COLUMN retention_flags text[] NOT NULL DEFAULT '{}',
    ADD COLUMN disposed_at timestamptz,
    ADD COLUMN disposed_by text,
    ADD COLUMN disposal_reason text;
ALTER TABLE recordings
    ADD CONSTRAINT recordings_retention_class CHECK (retention_class IN ('routine', 'evidence', 'permanent'));

ALTER TABLE stored_objects
    ADD COLUMN deleted_at timestamptz,
    ADD COLUMN deletion_confirmation text;     -- what the store answered when the version was deleted

-- A records manager's legal hold on one recording (holds from open cases are derived, not stored).
CREATE TABLE legal_holds (
    id                  uuid PRIMARY KEY,
    recording_id        uuid NOT NULL REFERENCES recordings (id),
    reason              text NOT NULL,
    placed_by           text NOT NULL,
    placed_at           timestamptz NOT NULL,
    released_by         text,
    released_at         timestamptz,
    release_reason      text
);
CREATE INDEX legal_holds_active ON legal_holds (recording_id) WHERE released_at IS NULL;

-- Recordings whose period has ended, with no hold and no open case: a records manager decides.
CREATE TABLE disposition_queue (
    id                  uuid PRIMARY KEY,
    recording_id        uuid NOT NULL REFERENCES recordings (id),
    state               text NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'disposed', 'refused', 'withdrawn')),
    eligible_since      timestamptz NOT NULL,
    queued_at           timestamptz NOT NULL,
    decided_by          text,
    decided_at          timestamptz,
    decision_reason     text,
    outcome             text
);
CREATE UNIQUE INDEX disposition_queue_one_pending ON disposition_queue (recording_id) WHERE state = 'pending';

-- The agency's case system authenticates with an API key of its own kind.
ALTER TABLE api_keys DROP CONSTRAINT api_keys_kind_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_kind_check CHECK (kind IN ('station', 'device', 'casesystem'));
