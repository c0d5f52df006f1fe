-- PLACEHOLDER on the media branch only. 0003 belongs to the tus branch, which adds this same file
-- with its real content: when merging, take that branch's version of this file. It exists here only
-- because migrations must be numbered without gaps and this branch brings 0004.
SELECT 1;
