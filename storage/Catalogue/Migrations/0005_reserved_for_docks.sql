-- PLACEHOLDER on the media branch only: 0005 is reserved for the docks branch, and migrations must be
-- numbered without gaps (this branch brings 0006). If the docks branch adds its own 0005, delete this
-- file when merging; if it adds none, keep it (it changes nothing).
SELECT 1;
