-- What the supervisors' integrity page shows that nothing recorded before, and the alerts that tell the
-- outside world of an integrity finding.

-- Every verification of the catalogue's audit trail (ingest audit verify) and its verdict: the page's
-- "last verified", and the finding an alert is raised for when the trail does not verify. A verdict is a
-- record like a fixity finding: append-only, never edited (the application role may only INSERT and SELECT).
CREATE TABLE audit_verifications (
    id                  uuid PRIMARY KEY,                -- UUIDv7: ordered by when it started
    started_at          timestamptz NOT NULL,
    finished_at         timestamptz NOT NULL CHECK (finished_at >= started_at),
    actor               text NOT NULL,                   -- who ran it (user:…, system:…)
    valid               boolean NOT NULL,
    events              bigint NOT NULL CHECK (events >= 0),
    first_seq           bigint,
    last_seq            bigint,
    checkpoints         integer NOT NULL CHECK (checkpoints >= 0),
    problems            integer NOT NULL CHECK (problems >= 0),
    first_problem_seq   bigint,                          -- where the trail first goes wrong
    first_problem_kind  text,
    first_problem       text,
    notes               text[] NOT NULL DEFAULT '{}',
    CHECK (valid = (problems = 0)),
    CHECK (valid = (first_problem_kind IS NULL))
);
CREATE INDEX audit_verifications_latest ON audit_verifications (finished_at DESC);
CREATE TRIGGER audit_verifications_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_verifications
    FOR EACH ROW EXECUTE FUNCTION audit_events_are_append_only();
CREATE TRIGGER audit_verifications_no_truncate BEFORE TRUNCATE ON audit_verifications
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_are_append_only();

-- The alert outbox. An alert is written in the transaction of its finding (a fixity mismatch or missing
-- original, a quarantined delivery, a trail that does not verify, an unregistered recorder docking), with
-- an 'alert' job beside it, so it exists exactly when the finding does and survives any restart; the job
-- loop delivers it to every configured webhook and retries with backoff. body is the exact JSON sent,
-- the same bytes on every attempt (only the signature's timestamp changes), so a receiver can use id to
-- take it once. dedupe_key makes a repeated finding one alert (an unregistered recorder: once a day).
CREATE TABLE alerts (
    id                  uuid PRIMARY KEY,                -- UUIDv7; the event id receivers see
    kind                text NOT NULL CHECK (kind IN ('fixity.mismatch', 'fixity.missing', 'recording.quarantined',
                                                      'audit.verify-failed', 'recorder.unregistered')),
    subject_type        text NOT NULL,
    subject_id          text NOT NULL,
    occurred_at         timestamptz NOT NULL,
    body                text NOT NULL,
    dedupe_key          text UNIQUE
);
CREATE INDEX alerts_recent ON alerts (occurred_at DESC);

-- How delivering one alert to one webhook (by its configured name) went. 'delivered' once the receiver
-- answered 2xx, and then never sent to it again; 'failed' once the attempts ran out. Each of the two ends
-- is an audit event (alert.delivered, alert.failed) committed with the row.
CREATE TABLE alert_deliveries (
    alert_id            uuid NOT NULL REFERENCES alerts (id),
    webhook             text NOT NULL,
    state               text NOT NULL CHECK (state IN ('trying', 'delivered', 'failed')),
    attempts            integer NOT NULL CHECK (attempts >= 0),
    last_status         integer,                         -- the receiver's HTTP status, when it answered
    last_error          text,
    updated_at          timestamptz NOT NULL,
    PRIMARY KEY (alert_id, webhook)
);
CREATE INDEX alert_deliveries_open ON alert_deliveries (updated_at) WHERE state <> 'delivered';

-- The integrity page lists quarantined deliveries newest first: the few whose claim did not verify.
CREATE INDEX recording_sources_unverified ON recording_sources (received_at DESC) WHERE claim_verified = false;
