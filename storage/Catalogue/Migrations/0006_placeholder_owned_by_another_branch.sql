-- TEMPORARY placeholder on the audit branch only: version 6 belongs to another branch (tus, docks,
-- media, cases). The loader refuses gaps, so this empty step lets 0007/0008 load here.
-- DELETE THIS FILE WHEN MERGING; the real 0006 migration takes its place.
SELECT 1;
