-- A pending write gets a fourth state, 'sealing', recorded (and committed) before its object is
-- locked. A process killed between locking the stored copy and committing the catalogue used to
-- leave a row that still said 'written': a redelivery of the same file then stored and locked a
-- second copy, and recovery tried to discard the first one, which the store refuses because it is
-- locked. A row in 'sealing' tells whoever holds the content next that this copy may be locked
-- already: it is adopted as the recording's object, never written again nor discarded.
ALTER TABLE pending_writes DROP CONSTRAINT pending_writes_state_check;
ALTER TABLE pending_writes ADD CONSTRAINT pending_writes_state_check
    CHECK (state IN ('writing', 'written', 'sealing', 'discarding'));
CREATE INDEX pending_writes_sealing ON pending_writes (sha256) WHERE state = 'sealing';
