-- The case file (案卷): links a person makes or removes by hand, and disposition decided by two records
-- managers, whose decisions make the destruction register (销毁清册).

-- A person's removal of a link stands: the automatic linker never ties that recording to that activity
-- again (RecordingLinker asks this index), so correcting a wrong automatic link is not undone by the
-- next relink. Removed links are kept like every link.
CREATE INDEX recording_links_removed ON recording_links (recording_id, activity_id) WHERE unlinked_at IS NOT NULL;

-- Disposition in two steps: a records manager proposes (with a reason), a second one approves or refuses
-- (with a reason); only an approval leads to deletion. decided_by/decided_at/decision_reason are the
-- second person's; decision says which way they decided. Entries decided by one person before this
-- migration keep their decision null.
ALTER TABLE disposition_queue
    ADD COLUMN proposed_by          text,
    ADD COLUMN proposed_at          timestamptz,
    ADD COLUMN proposal_reason      text,
    ADD COLUMN decision             text CHECK (decision IN ('approved', 'refused')),
    ADD COLUMN retention_rule       text;   -- the policy's reasons when it was disposed of: the rule it was destroyed under

ALTER TABLE disposition_queue DROP CONSTRAINT disposition_queue_state_check;
ALTER TABLE disposition_queue ADD CONSTRAINT disposition_queue_state_check
    CHECK (state IN ('pending', 'proposed', 'disposed', 'refused', 'withdrawn'));
ALTER TABLE disposition_queue ADD CONSTRAINT disposition_queue_proposal_whole
    CHECK ((proposed_by IS NULL) = (proposed_at IS NULL) AND (proposed_by IS NULL) = (proposal_reason IS NULL));
ALTER TABLE disposition_queue ADD CONSTRAINT disposition_queue_proposed_by_someone
    CHECK (state <> 'proposed' OR proposed_by IS NOT NULL);
ALTER TABLE disposition_queue ADD CONSTRAINT disposition_queue_decision_whole
    CHECK (decision IS NULL OR (proposed_by IS NOT NULL AND decided_by IS NOT NULL AND decided_at IS NOT NULL AND decision_reason IS NOT NULL));

-- The two-person rule: the records manager who approves a disposition is never the one who proposed it.
ALTER TABLE disposition_queue ADD CONSTRAINT disposition_queue_second_person
    CHECK (decision IS DISTINCT FROM 'approved' OR decided_by <> proposed_by);

-- One open entry (waiting or proposed) per recording.
DROP INDEX disposition_queue_one_pending;
CREATE UNIQUE INDEX disposition_queue_one_open ON disposition_queue (recording_id) WHERE state IN ('pending', 'proposed');

-- The destruction register lists disposals by when they happened.
CREATE INDEX recordings_disposed ON recordings (disposed_at) WHERE disposed_at IS NOT NULL;
CREATE INDEX disposition_queue_disposed ON disposition_queue (recording_id) WHERE state = 'disposed';

-- Nothing is disposed of on one person's word from now on, and a decided entry is the register's record:
-- it is never changed again, and no entry is ever deleted. (The constraints above hold the columns; the
-- entry into 'disposed' needs the approval, which a CHECK cannot ask of the rows decided before.)
CREATE FUNCTION disposition_queue_keeps_decisions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'disposition_queue keeps every entry: DELETE refused'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.state IN ('disposed', 'refused', 'withdrawn') THEN
        RAISE EXCEPTION 'disposition entry % was decided (%): it is never changed', OLD.id, OLD.state
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.state = 'disposed' AND NEW.decision IS DISTINCT FROM 'approved' THEN
        RAISE EXCEPTION 'recording % is disposed of only on a proposal a second records manager approved', NEW.recording_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER disposition_queue_decisions_kept BEFORE INSERT OR UPDATE OR DELETE ON disposition_queue
    FOR EACH ROW EXECUTE FUNCTION disposition_queue_keeps_decisions();
