-- Field uploads (tus 1.0.0) and the API keys that docking stations and devices authenticate with
-- (issue 3 §2). Every upload, and every recording source an upload produces, names exactly one key.

-- A key is shown once, when it is created, as em_<id>_<secret>; only the SHA-256 of its 32 random
-- secret bytes is kept. Names are unique for ever (revoked keys included), so an audit actor
-- key:<name> always means one key.
CREATE TABLE api_keys (
    id              uuid PRIMARY KEY,
    name            text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    kind            text NOT NULL CHECK (kind IN ('station', 'device')),
    station_id      text,
    secret_sha256   bytea NOT NULL CHECK (octet_length(secret_sha256) = 32),
    created_at      timestamptz NOT NULL,
    created_by      text NOT NULL,
    revoked_at      timestamptz,
    revoked_by      text,
    last_used_at    timestamptz,
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);

-- Which key delivered a source. Null for sources that need no key (dock folders, operator commands).
ALTER TABLE recording_sources ADD COLUMN api_key_id uuid REFERENCES api_keys (id);
CREATE INDEX recording_sources_api_key ON recording_sources (api_key_id) WHERE api_key_id IS NOT NULL;
CREATE INDEX recording_sources_original_path ON recording_sources (original_path);

-- One tus upload. Its bytes sit in the staging folder as <id> until the archive has committed
-- them; upload_offset only ever counts bytes that were fsynced there.
CREATE TABLE uploads (
    id                  uuid PRIMARY KEY,
    api_key_id          uuid NOT NULL REFERENCES api_keys (id),
    upload_length       bigint NOT NULL CHECK (upload_length >= 0),
    upload_offset       bigint NOT NULL DEFAULT 0,
    metadata_header     text,               -- Upload-Metadata exactly as the client sent it (HEAD echoes it)
    metadata            jsonb NOT NULL,     -- the same, decoded: {"filename": "...", ...}
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    completed_at        timestamptz,        -- the last byte arrived; an archive-upload job was queued with it
    terminated_at       timestamptz,        -- DELETEd by its client before completion; the bytes were removed
    archived_at         timestamptz,
    recording_id        uuid REFERENCES recordings (id),
    source_id           uuid REFERENCES recording_sources (id),
    receipt             jsonb,              -- the receipt given for it, served at /api/v1/uploads/{id}/receipt
    CHECK (upload_offset BETWEEN 0 AND upload_length),
    CHECK (completed_at IS NULL OR upload_offset = upload_length),
    CHECK (terminated_at IS NULL OR completed_at IS NULL),
    CHECK (archived_at IS NULL OR (completed_at IS NOT NULL AND recording_id IS NOT NULL AND receipt IS NOT NULL))
);
CREATE INDEX uploads_api_key ON uploads (api_key_id);
CREATE INDEX uploads_open ON uploads (created_at) WHERE completed_at IS NULL AND terminated_at IS NULL;
