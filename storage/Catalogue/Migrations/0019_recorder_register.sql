-- The recorder register (执法记录仪台账): every body-worn recorder the agency holds, the unit it belongs
-- to, its state, and to which officer it was handed when. When a recorder docked, how many files it
-- brought and how far its clock was off are not kept here: they are facts of its deliveries
-- (recording_sources) and its recordings, read from there, so the register cannot disagree with them.

-- A serial is kept as the recorder's label reads, upper case and trimmed: recorders and the tools that
-- rename their files disagree on case (a123456_… and A123456_… are one recorder), so every comparison
-- with what deliveries report is on upper(btrim(device_serial)). At least one digit: a serial is a
-- number, and no word (such as a path like /recorders/unregistered) can then be taken for one.
CREATE TABLE recorders (
    serial              text PRIMARY KEY CHECK (serial ~ '^[A-Z0-9][A-Z0-9._-]{0,63}$' AND serial ~ '[0-9]'),
    model               text CHECK (length(model) BETWEEN 1 AND 200),
    unit_code           text NOT NULL REFERENCES units (code),
    status              text NOT NULL CHECK (status IN ('in_service', 'repair', 'retired', 'lost')),
    notes               text CHECK (length(notes) BETWEEN 1 AND 2000),
    created_at          timestamptz NOT NULL,
    created_by          text NOT NULL,
    updated_at          timestamptz NOT NULL,
    updated_by          text NOT NULL
);
CREATE INDEX recorders_unit ON recorders (unit_code, serial);

-- Who held a recorder when: [assigned_from, assigned_to), assigned_to null while it is still theirs.
-- officer_id is the 警号 as recordings carry it (recordings.officer_id); it is not a foreign key to the
-- officer registry, which the case system keeps and which may lag behind a handover.
-- An officer may hold two recorders at once (a spare, a second shift's); a recorder is never with two
-- officers at once.
CREATE TABLE recorder_assignments (
    id                  uuid PRIMARY KEY,
    serial              text NOT NULL REFERENCES recorders (serial),
    officer_id          text NOT NULL CHECK (length(officer_id) BETWEEN 1 AND 32),
    assigned_from       timestamptz NOT NULL,
    assigned_to         timestamptz,
    assigned_by         text NOT NULL,
    ended_by            text,
    CHECK (assigned_to IS NULL OR assigned_to > assigned_from),
    CHECK ((assigned_to IS NULL) = (ended_by IS NULL))
);
CREATE UNIQUE INDEX recorder_assignments_current ON recorder_assignments (serial) WHERE assigned_to IS NULL;
CREATE INDEX recorder_assignments_history ON recorder_assignments (serial, assigned_from);
CREATE INDEX recorder_assignments_officer ON recorder_assignments (officer_id, assigned_from);

-- No two periods of one recorder overlap. An exclusion constraint would say it in one line but needs
-- btree_gist, an extension installed once per database outside the catalogue's schema (and dropped
-- with the schema it was put in); this trigger keeps the catalogue self-contained. It locks the
-- recorder's row first, so two handovers of one recorder committed at once cannot each miss the other.
CREATE FUNCTION recorder_assignments_refuse_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    clash record;
BEGIN
    PERFORM 1 FROM recorders WHERE serial = NEW.serial FOR UPDATE;
    SELECT officer_id, assigned_from, assigned_to INTO clash
    FROM recorder_assignments
    WHERE serial = NEW.serial AND id <> NEW.id
      AND tstzrange(assigned_from, assigned_to, '[)') && tstzrange(NEW.assigned_from, NEW.assigned_to, '[)')
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'recorder % is with officer % from % %: a recorder is never assigned to two officers at once',
            NEW.serial, clash.officer_id, clash.assigned_from, coalesce('to ' || clash.assigned_to, 'on')
            USING ERRCODE = 'exclusion_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER recorder_assignments_no_overlap BEFORE INSERT OR UPDATE ON recorder_assignments
    FOR EACH ROW EXECUTE FUNCTION recorder_assignments_refuse_overlap();

-- The history is kept as it happened: a period is ended once (assigned_to and ended_by set, nothing else
-- changed) and never deleted, so the register can always answer who held a recorder at a given time.
CREATE FUNCTION recorder_assignments_keep_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.assigned_to IS NOT NULL OR NEW.id <> OLD.id OR NEW.serial <> OLD.serial
       OR NEW.officer_id <> OLD.officer_id OR NEW.assigned_from <> OLD.assigned_from OR NEW.assigned_by <> OLD.assigned_by THEN
        RAISE EXCEPTION 'recorder_assignments keeps its history: only an open period may be ended (% refused)', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER recorder_assignments_history BEFORE UPDATE OR DELETE ON recorder_assignments
    FOR EACH ROW EXECUTE FUNCTION recorder_assignments_keep_history();

-- What the register derives from deliveries and recordings, by the normalised serial: first and last
-- docking and the last measured clock offset (dock and station deliveries only: a field upload is no
-- docking and measures no clock), the recordings count, and the serials seen but not registered.
CREATE INDEX recording_sources_docked ON recording_sources (upper(btrim(device_serial)), received_at)
    WHERE source_kind IN ('dock', 'station');
CREATE INDEX recordings_device_key ON recordings (upper(btrim(device_serial)));
