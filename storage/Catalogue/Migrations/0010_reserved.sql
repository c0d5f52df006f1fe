-- Placeholder for migration 0010, which belongs to the review branch (case search, playback, the
-- ledger and viewing approvals). The loader refuses gaps, so this no-op keeps 0011 loadable until
-- that branch lands; the lead replaces it with the real 0010 when merging.
SELECT 1;
