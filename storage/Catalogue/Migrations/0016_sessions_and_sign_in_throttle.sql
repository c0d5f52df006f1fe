-- Browser sessions kept on the server, sign-in throttling by source, passwords an admin set, the
-- classification a viewing approval was given for, and the per-key sum of pending uploads.

-- One browser session. Its id is in the session cookie, and a cookie is honoured only while its row
-- is live: signing out, a password change or "sign out everywhere" ends the row, and a copy of the
-- cookie made before is worthless from then on.
CREATE TABLE user_sessions (
    id                  uuid PRIMARY KEY,
    user_id             uuid NOT NULL REFERENCES users (id),
    created_at          timestamptz NOT NULL,
    last_seen_at        timestamptz NOT NULL,
    expires_at          timestamptz NOT NULL,
    ended_at            timestamptz,
    ended_reason        text,
    client_address      text NOT NULL,
    user_agent          text NOT NULL,
    CHECK ((ended_at IS NULL) = (ended_reason IS NULL))
);
CREATE INDEX user_sessions_live ON user_sessions (user_id) WHERE ended_at IS NULL;

-- Failed sign-ins counted per source address ('source:<network>'), per username from one source
-- ('pair:<username>|<network>') and per username from anywhere ('name:<username>'). Keyed by the
-- username as typed (lower case), never by user id, so a name that does not exist is counted and
-- throttled exactly like one that does. Locking nothing else: a user's sessions and tokens are
-- untouched by guesses at their password.
CREATE TABLE sign_in_throttle (
    key                 text PRIMARY KEY,
    failures            integer NOT NULL CHECK (failures > 0),
    first_failed_at     timestamptz NOT NULL,
    last_failed_at      timestamptz NOT NULL,
    blocked_until       timestamptz
);
CREATE INDEX sign_in_throttle_last_failed ON sign_in_throttle (last_failed_at);

-- The account-wide lock is replaced by the throttle above: a lock anyone could trigger was a way to
-- shut any user out.
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;

-- A password an admin set (a new user's, or a reset) must be replaced by its owner at the next
-- sign-in before anything else is possible: the admin who typed it never knows the password in use.
ALTER TABLE users ADD COLUMN password_must_change boolean NOT NULL DEFAULT false;

-- The classification the supervisor approved the viewing for: raised above it later, the approval
-- no longer holds.
ALTER TABLE view_approvals ADD COLUMN approved_classification text;
UPDATE view_approvals SET approved_classification = classification WHERE state = 'approved';
ALTER TABLE view_approvals ADD CHECK ((state = 'approved') = (approved_classification IS NOT NULL));

-- API tokens are issued by their owner only. Tokens an admin issued for someone else before (the
-- audit trail names who issued each) are revoked here; this migration's own audit event records it.
UPDATE user_tokens t SET revoked_at = now()
WHERE t.revoked_at IS NULL
  AND EXISTS (
      SELECT 1 FROM users u
      WHERE u.id = t.user_id
        AND (EXISTS (SELECT 1 FROM audit_events e
                     WHERE e.action = 'token.issued' AND e.subject_id = t.user_id::text
                       AND e.details LIKE '%"tokenId":"' || t.id::text || '"%' AND e.actor <> 'user:' || u.username)
             OR EXISTS (SELECT 1 FROM audit_outbox e
                        WHERE e.action = 'token.issued' AND e.subject_id = t.user_id::text
                          AND e.details LIKE '%"tokenId":"' || t.id::text || '"%' AND e.actor <> 'user:' || u.username)));

-- A key's uploads still holding staging space, summed on every create against the key's quota.
CREATE INDEX uploads_pending_by_key ON uploads (api_key_id) WHERE terminated_at IS NULL AND archived_at IS NULL;
