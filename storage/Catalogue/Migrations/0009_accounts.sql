-- People who use the player, what they may do (roles), what they may see (their unit, cases
-- assigned to them), their API tokens, and the player's cookie-protection keys (shared by every
-- player instance, so a session survives a restart and works behind a load balancer).

CREATE TABLE units (
    code                text PRIMARY KEY,
    name                text NOT NULL,
    parent_code         text REFERENCES units (code),
    created_at          timestamptz NOT NULL
);

CREATE TABLE users (
    id                  uuid PRIMARY KEY,
    username            text NOT NULL,
    display_name        text NOT NULL,
    unit_code           text REFERENCES units (code),
    roles               text[] NOT NULL DEFAULT '{}',
    password_hash       text NOT NULL,
    -- Changes whenever the password, roles or status change: cookies issued before are refused.
    security_stamp      uuid NOT NULL,
    failed_logins       integer NOT NULL DEFAULT 0,
    locked_until        timestamptz,
    disabled_at         timestamptz,
    created_at          timestamptz NOT NULL,
    created_by          text NOT NULL,
    last_login_at       timestamptz,
    CHECK (roles <@ ARRAY['reviewer', 'legal_reviewer', 'supervisor', 'records_manager', 'admin']::text[])
);
CREATE UNIQUE INDEX users_username ON users (lower(username));

-- Bearer tokens for API clients, acting as the user that owns them. Only a hash is stored.
CREATE TABLE user_tokens (
    id                  uuid PRIMARY KEY,
    user_id             uuid NOT NULL REFERENCES users (id),
    name                text NOT NULL,
    secret_hash         bytea NOT NULL CHECK (octet_length(secret_hash) = 32),
    created_at          timestamptz NOT NULL,
    expires_at          timestamptz NOT NULL,
    revoked_at          timestamptz,
    last_used_at        timestamptz
);
CREATE INDEX user_tokens_user ON user_tokens (user_id);

CREATE TABLE case_assignments (
    case_id             uuid NOT NULL REFERENCES cases (id),
    user_id             uuid NOT NULL REFERENCES users (id),
    assigned_by         text NOT NULL,
    assigned_at         timestamptz NOT NULL,
    PRIMARY KEY (case_id, user_id)
);

CREATE TABLE data_protection_keys (
    friendly_name       text PRIMARY KEY,
    xml                 text NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now()
);
