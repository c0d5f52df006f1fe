-- Placeholder on the pages branch only: 0011 belongs to the playback branch (sessions, approvals,
-- the ledger). Migrations must be numbered without gaps, so until that branch is merged this keeps
-- 0012 applicable. Removed when main brings the real 0011.
SELECT 1;
