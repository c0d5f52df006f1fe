-- Exports (issue 6 §7, 未经批准不得对外提供): a request for a package of originals, a supervisor's
-- decision, the package built and locked in the evidence store (stored_objects kind 'export'), and
-- its one download. Every step is also an audit event; these rows make the state queryable.

CREATE TABLE export_requests (
    id                  uuid PRIMARY KEY,
    requested_by        uuid NOT NULL REFERENCES users (id),
    requested_by_actor  text NOT NULL,              -- user:<name>, as the audit trail names them
    requested_at        timestamptz NOT NULL,
    reason              text NOT NULL CHECK (length(btrim(reason)) > 0),
    recipient           text NOT NULL CHECK (length(btrim(recipient)) > 0),
    state               text NOT NULL DEFAULT 'requested'
                        CHECK (state IN ('requested', 'denied', 'approved', 'ready', 'failed')),
    decided_by          uuid REFERENCES users (id),
    decided_by_actor    text,
    decided_at          timestamptz,
    decision_reason     text,
    package_object_id   uuid REFERENCES stored_objects (id),
    package_sha256      sha256_hex,
    package_size        bigint,
    manifest_sha256     sha256_hex,
    built_at            timestamptz,
    failure             text,
    downloaded_at       timestamptz,
    downloaded_from     text,
    -- Nobody approves their own request: refused by the service, and by the catalogue itself.
    CHECK (decided_by IS NULL OR decided_by <> requested_by),
    CHECK (state IN ('requested') = (decided_at IS NULL)),
    CHECK (state <> 'ready' OR (package_object_id IS NOT NULL AND built_at IS NOT NULL)),
    CHECK (downloaded_at IS NULL OR state = 'ready')
);
CREATE INDEX export_requests_requested_by ON export_requests (requested_by, requested_at DESC);
CREATE INDEX export_requests_pending ON export_requests (requested_at) WHERE state = 'requested';

-- The recordings a request names, in the order the requester gave them.
CREATE TABLE export_items (
    export_id           uuid NOT NULL REFERENCES export_requests (id),
    ordinal             integer NOT NULL CHECK (ordinal > 0),
    recording_id        uuid NOT NULL REFERENCES recordings (id),
    PRIMARY KEY (export_id, recording_id),
    UNIQUE (export_id, ordinal)
);
CREATE INDEX export_items_recording ON export_items (recording_id);
