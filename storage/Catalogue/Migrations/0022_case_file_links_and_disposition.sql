-- The case file (案卷): links a person makes or removes by hand.

-- A person's removal of a link stands: the automatic linker never ties that recording to that activity
-- again (RecordingLinker asks this index), so correcting a wrong automatic link is not undone by the
-- next relink. Removed links are kept like every link.
CREATE INDEX recording_links_removed ON recording_links (recording_id, activity_id) WHERE unlinked_at IS NOT NULL;
