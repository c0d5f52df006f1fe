-- Viewing footage (issue 6 §2–5, 调阅监督): approvals to view classified recordings, playback sessions
-- (who watched what, why, from where), the watched intervals the page reports, and the bytes served.
-- Every step is also an audit event (subject: the recording); these rows make the ledger queryable.

-- A request to view one classified recording (anything but 'normal'), for one user, decided by a
-- supervisor other than the requester. An approval is good until expires_at.
CREATE TABLE view_approvals (
    id                  uuid PRIMARY KEY,
    recording_id        uuid NOT NULL REFERENCES recordings (id),
    requested_by        uuid NOT NULL REFERENCES users (id),
    requested_by_actor  text NOT NULL,
    requested_at        timestamptz NOT NULL,
    reason              text NOT NULL CHECK (length(btrim(reason)) > 0),
    classification      text NOT NULL,              -- the recording's, when asked
    state               text NOT NULL DEFAULT 'requested' CHECK (state IN ('requested', 'approved', 'denied')),
    decided_by          uuid REFERENCES users (id),
    decided_by_actor    text,
    decided_at          timestamptz,
    decision_reason     text,
    expires_at          timestamptz,
    -- Nobody approves their own request: refused by the service, and by the catalogue itself.
    CHECK (decided_by IS NULL OR decided_by <> requested_by),
    CHECK ((state = 'requested') = (decided_at IS NULL)),
    CHECK (state <> 'approved' OR expires_at IS NOT NULL)
);
CREATE INDEX view_approvals_recording_user ON view_approvals (recording_id, requested_by, requested_at DESC);
CREATE INDEX view_approvals_pending ON view_approvals (requested_at) WHERE state = 'requested';

-- One viewing. object_id pins the exact bytes the session streams (the rendition current when it
-- started, or the original), so a rendition made again later does not change what a session serves.
CREATE TABLE playback_sessions (
    id                  uuid PRIMARY KEY,           -- UUIDv7: ordered by start
    user_id             uuid NOT NULL REFERENCES users (id),
    actor               text NOT NULL,              -- user:<name>, as the audit trail names them
    recording_id        uuid NOT NULL REFERENCES recordings (id),
    variant             text NOT NULL CHECK (variant IN ('rendition', 'original')),
    object_id           uuid NOT NULL REFERENCES stored_objects (id),
    reason              text NOT NULL CHECK (length(btrim(reason)) > 0),
    approval_id         uuid REFERENCES view_approvals (id),
    client_address      text NOT NULL,
    user_agent          text NOT NULL,
    started_at          timestamptz NOT NULL,
    expires_at          timestamptz NOT NULL,       -- idle timeout, moved on by heartbeats
    ended_at            timestamptz,
    -- Sum of the ranges logged (each before its bytes left).
    bytes_served        bigint NOT NULL DEFAULT 0 CHECK (bytes_served >= 0),
    -- The last heartbeat, from which the next one derives a watched interval.
    last_position       double precision,
    last_playing        boolean,
    last_rate           double precision,
    last_heartbeat_at   timestamptz
);
CREATE INDEX playback_sessions_recording ON playback_sessions (recording_id, started_at DESC);
CREATE INDEX playback_sessions_user ON playback_sessions (user_id, started_at DESC);
CREATE INDEX playback_sessions_started ON playback_sessions (started_at DESC);

-- Stretches of the recording (seconds of media time) the page reported playing, per session.
CREATE TABLE playback_watched (
    session_id          uuid NOT NULL REFERENCES playback_sessions (id),
    from_seconds        double precision NOT NULL CHECK (from_seconds >= 0),
    to_seconds          double precision NOT NULL,
    reported_at         timestamptz NOT NULL,
    CHECK (to_seconds > from_seconds)
);
CREATE INDEX playback_watched_session ON playback_watched (session_id, from_seconds);
