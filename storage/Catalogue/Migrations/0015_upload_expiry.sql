-- tus expiration: an upload nobody advanced for Uploads:ExpireAfter is ended by the server, its
-- staged bytes removed. It is marked like a terminated one (terminated_at, so every query that
-- skips ended uploads skips it), with expired = true telling the two apart. Without this, an
-- upload abandoned on a bad network kept its bytes on the staging disk and its remaining length
-- reserved against the free-space check forever, until new uploads were refused with 507.
ALTER TABLE uploads ADD COLUMN expired boolean NOT NULL DEFAULT false;
ALTER TABLE uploads ADD CONSTRAINT uploads_expired_is_terminated CHECK (NOT expired OR terminated_at IS NOT NULL);
CREATE INDEX uploads_open_by_activity ON uploads (updated_at) WHERE completed_at IS NULL AND terminated_at IS NULL;
