-- Writes in progress. A row exists from before the first byte is sent to the store until the
-- catalogue rows are committed (or the duplicate discarded), so whatever a crash leaves behind —
-- an unfinished multipart upload, an unlocked object, a staging file — is found and finished or
-- removed by recovery. The source itself is never touched until a receipt exists.
CREATE TABLE pending_writes (
    write_id            uuid PRIMARY KEY,
    kind                text NOT NULL,
    store               text NOT NULL,
    delivery            jsonb NOT NULL,     -- what is being stored, to finish the job after a crash
    state               text NOT NULL DEFAULT 'writing' CHECK (state IN ('writing', 'written', 'discarding')),
    object_key          text,
    version_id          text,
    sha256              sha256_hex,
    size_bytes          bigint,
    owner               text NOT NULL,
    started_at          timestamptz NOT NULL DEFAULT now(),
    lease_expires_at    timestamptz NOT NULL
);
CREATE INDEX pending_writes_expired ON pending_writes (lease_expires_at);
