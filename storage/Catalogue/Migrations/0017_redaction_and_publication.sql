-- Redaction (blurred regions, blurred frames, muted or bleeped audio) rendered from the original into a
-- new write-once derivative, face suggestions a reviewer accepts or rejects, and publication (公示):
-- a redacted output with a burned-in watermark, approved by someone other than the requester, served
-- at an unguessable public address until withdrawn or expired.

-- Redacted outputs are objects of their own kind: nothing that serves renditions or originals can be
-- pointed at one by mistake, and nothing public can be pointed at anything else.
ALTER TABLE stored_objects DROP CONSTRAINT stored_objects_kind_check;
ALTER TABLE stored_objects ADD CONSTRAINT stored_objects_kind_check
    CHECK (kind IN ('original', 'rendition', 'thumbnail', 'sprite', 'document', 'checkpoint', 'export', 'redacted'));

-- What a reviewer asked to hide. The spec (regions with key positions, whole-frame ranges, audio
-- ranges; coordinates normalised to the upright picture) is editable while a draft and frozen from
-- the moment it is queued: the rendered output is provably the spec's.
CREATE TABLE redactions (
    id                  uuid PRIMARY KEY,           -- UUIDv7
    recording_id        uuid NOT NULL REFERENCES recordings (id),
    state               text NOT NULL CHECK (state IN ('draft', 'queued', 'rendering', 'ready', 'failed')),
    reason              text NOT NULL CHECK (length(btrim(reason)) > 0),
    spec                jsonb NOT NULL,
    created_by          uuid NOT NULL REFERENCES users (id),
    created_by_actor    text NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    queued_at           timestamptz,
    finished_at         timestamptz,
    failure             text,
    CHECK ((state = 'failed') = (failure IS NOT NULL)),
    CHECK (state = 'draft' OR queued_at IS NOT NULL)
);
CREATE INDEX redactions_recording ON redactions (recording_id, created_at DESC);

CREATE FUNCTION redactions_spec_is_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.state <> 'draft' AND (NEW.spec IS DISTINCT FROM OLD.spec OR NEW.reason IS DISTINCT FROM OLD.reason
                                 OR NEW.recording_id IS DISTINCT FROM OLD.recording_id) THEN
        RAISE EXCEPTION 'redaction % is queued or rendered: its spec is frozen', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.state <> 'draft' AND NEW.state = 'draft' THEN
        RAISE EXCEPTION 'redaction % cannot become a draft again', OLD.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER redactions_frozen BEFORE UPDATE ON redactions
    FOR EACH ROW EXECUTE FUNCTION redactions_spec_is_frozen();
-- A draft may be thrown away; anything queued has (or will have) provenance pointing at it.
CREATE FUNCTION redactions_keep_submitted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'redaction % was queued: it is kept', OLD.id USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER redactions_no_delete BEFORE DELETE ON redactions
    FOR EACH ROW WHEN (OLD.state <> 'draft') EXECUTE FUNCTION redactions_keep_submitted();

-- Provenance of redacted outputs: which redaction (or publication) an attempt was for, and, when it
-- was not made from the original, the object it was made from (a publication copy is the redacted
-- output with the watermark burned in).
ALTER TABLE derivations DROP CONSTRAINT derivations_role_check;
ALTER TABLE derivations ADD CONSTRAINT derivations_role_check
    CHECK (role IN ('playback', 'poster', 'sprite_sheet', 'sprite_track', 'redacted', 'publication'));
ALTER TABLE derivations ADD COLUMN redaction_id uuid REFERENCES redactions (id);
ALTER TABLE derivations ADD COLUMN input_object_id uuid REFERENCES stored_objects (id);
CREATE INDEX derivations_redaction ON derivations (redaction_id, id DESC) WHERE redaction_id IS NOT NULL;

-- What the player streams to reviewers stays the recording's own derivatives: redacted outputs are
-- found through their redaction, never as a recording's "current" playback.
CREATE OR REPLACE VIEW current_derivatives AS
SELECT DISTINCT ON (d.recording_id, d.role)
       d.recording_id, d.role, d.id AS derivation_id, d.method, d.width, d.height, d.duration_seconds,
       o.id AS object_id, o.store, o.object_key, o.version_id, o.sha256, o.size_bytes, o.content_type
FROM derivations d
JOIN stored_objects o ON o.id = d.object_id
WHERE d.outcome = 'succeeded' AND d.role IN ('playback', 'poster', 'sprite_sheet', 'sprite_track')
ORDER BY d.recording_id, d.role, d.id DESC;

-- Faces (and whatever else a detector finds) offered to the reviewer as regions. A suggestion is
-- never applied by itself: the reviewer accepts or rejects each, and the decision is kept.
CREATE TABLE suggestion_runs (
    id                  uuid PRIMARY KEY,
    recording_id        uuid NOT NULL REFERENCES recordings (id),
    requested_by        uuid NOT NULL REFERENCES users (id),
    requested_at        timestamptz NOT NULL,
    state               text NOT NULL CHECK (state IN ('queued', 'running', 'ready', 'failed')),
    detector            text NOT NULL,              -- e.g. opencv 4.x haarcascade_frontalface_default
    sample_seconds      double precision NOT NULL CHECK (sample_seconds > 0),
    frames_examined     integer,
    finished_at         timestamptz,
    failure             text,
    CHECK ((state = 'failed') = (failure IS NOT NULL))
);
CREATE INDEX suggestion_runs_recording ON suggestion_runs (recording_id, requested_at DESC);

CREATE TABLE redaction_suggestions (
    id                  uuid PRIMARY KEY,
    run_id              uuid NOT NULL REFERENCES suggestion_runs (id),
    kind                text NOT NULL CHECK (kind IN ('face', 'plate')),
    -- A track: detections of what is taken to be one thing across sampled frames, as key positions
    -- in the shape the redaction spec uses ([{"t","x","y","w","h"}], normalised).
    keyframes           jsonb NOT NULL,
    score               double precision,
    decision            text CHECK (decision IN ('accepted', 'rejected')),
    decided_by          uuid REFERENCES users (id),
    decided_at          timestamptz,
    CHECK ((decision IS NULL) = (decided_at IS NULL))
);
CREATE INDEX redaction_suggestions_run ON redaction_suggestions (run_id);

-- 公示: a redacted output with a title and text, asked for by one user and decided by another who may
-- see the footage. The copy the public sees is the redacted output with the watermark burned in,
-- rendered when asked for, so the approver decides on the exact bytes that will be published.
CREATE TABLE publications (
    id                  uuid PRIMARY KEY,
    redaction_id        uuid NOT NULL REFERENCES redactions (id),
    recording_id        uuid NOT NULL REFERENCES recordings (id),
    title               text NOT NULL CHECK (length(btrim(title)) > 0),
    body                text NOT NULL,
    watermark           text NOT NULL,              -- the text burned into the copy
    requested_by        uuid NOT NULL REFERENCES users (id),
    requested_by_actor  text NOT NULL,
    requested_at        timestamptz NOT NULL,
    render_state        text NOT NULL CHECK (render_state IN ('queued', 'rendering', 'ready', 'failed')),
    render_failure      text,
    object_id           uuid REFERENCES stored_objects (id),
    state               text NOT NULL CHECK (state IN ('requested', 'refused', 'published', 'withdrawn')),
    decided_by          uuid REFERENCES users (id),
    decided_by_actor    text,
    decided_at          timestamptz,
    decision_reason     text,
    -- The public address's secret part: 32 random bytes, base64url. Unique, and set only once published.
    token               text UNIQUE,
    expires_at          timestamptz,
    withdrawn_by_actor  text,
    withdrawn_at        timestamptz,
    withdrawal_reason   text,
    view_count          bigint NOT NULL DEFAULT 0,
    CHECK (decided_by IS NULL OR decided_by <> requested_by),
    CHECK ((state = 'requested') = (decided_at IS NULL)),
    CHECK ((state IN ('published', 'withdrawn')) = (token IS NOT NULL)),
    CHECK (state <> 'published' OR (object_id IS NOT NULL AND expires_at IS NOT NULL)),
    CHECK ((state = 'withdrawn') = (withdrawn_at IS NOT NULL)),
    CHECK ((render_state = 'failed') = (render_failure IS NOT NULL))
);
CREATE INDEX publications_pending ON publications (requested_at) WHERE state = 'requested';
CREATE INDEX publications_recording ON publications (recording_id, requested_at DESC);

-- The public's requests, kept apart from the reviewers' ledger: nobody signed in, nothing to attribute.
CREATE TABLE publication_views (
    publication_id      uuid NOT NULL REFERENCES publications (id),
    at                  timestamptz NOT NULL,
    client_address      text NOT NULL,
    user_agent          text NOT NULL,
    what                text NOT NULL CHECK (what IN ('page', 'media')),
    range_from          bigint,
    range_to            bigint,
    status              integer NOT NULL
);
CREATE INDEX publication_views_publication ON publication_views (publication_id, at DESC);

-- A reviewer watching a redacted output is a viewing like any other: logged, with a reason, in the
-- ledger. The session names the redaction as well as the exact object it streams.
ALTER TABLE playback_sessions DROP CONSTRAINT playback_sessions_variant_check;
ALTER TABLE playback_sessions ADD CONSTRAINT playback_sessions_variant_check
    CHECK (variant IN ('rendition', 'original', 'redacted'));
ALTER TABLE playback_sessions ADD COLUMN redaction_id uuid REFERENCES redactions (id);
ALTER TABLE playback_sessions ADD CONSTRAINT playback_sessions_redaction_named
    CHECK ((variant = 'redacted') = (redaction_id IS NOT NULL));

-- The publication office: asks for redacted outputs to be published and withdraws them; it sees
-- redacted outputs of the footage it may see and nothing else.
ALTER TABLE users DROP CONSTRAINT users_roles_check;
ALTER TABLE users ADD CONSTRAINT users_roles_check
    CHECK (roles <@ ARRAY['reviewer', 'legal_reviewer', 'supervisor', 'records_manager', 'publisher', 'admin']::text[]);
