-- Each source row names the pending write that brought it. A process that stalls past its lease
-- while recovery in another process finishes its write then finds the source row recovery added
-- for its very delivery, and answers with that receipt, instead of failing and making the station
-- deliver the same file again (which added a second source row for one physical file).
ALTER TABLE recording_sources ADD COLUMN write_id uuid;
CREATE UNIQUE INDEX recording_sources_write ON recording_sources (write_id) WHERE write_id IS NOT NULL;

-- The MD5 a write computed for a station's MD5 claim, kept with the written row so that recovery
-- checks that claim as the dead process would have (it used to check only a SHA-256 claim).
ALTER TABLE pending_writes ADD COLUMN md5 text CHECK (md5 ~ '^[0-9a-f]{32}$');
