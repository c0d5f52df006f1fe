-- Issue 7: signed audit checkpoints, and the grants that leave the application role unable to
-- change audit rows (it may only INSERT and SELECT them). See README, "Audit trail".

-- One refusal for every append-only table; it names the table it guards.
CREATE OR REPLACE FUNCTION audit_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- Each signed chain head written to the evidence store as a locked object. The store holds the
-- proof (the verifier lists it there, so deleting rows here hides nothing); this table makes the
-- checkpoints queryable.
CREATE TABLE audit_checkpoints (
    seq                 bigint PRIMARY KEY CHECK (seq > 0),
    hash                bytea NOT NULL CHECK (octet_length(hash) = 32),
    signed_at           timestamptz NOT NULL,
    key_id              text NOT NULL,
    object_id           uuid NOT NULL REFERENCES stored_objects (id),
    document            text NOT NULL       -- the stored object's exact bytes (UTF-8 JSON)
);
CREATE TRIGGER audit_checkpoints_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_events_are_append_only();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_are_append_only();

-- What the application role may do, (re)applied by the migrator (connected as the owner) after
-- every run, so tables added by later migrations are covered and drift is repaired:
--   every table and view: SELECT, INSERT, UPDATE, DELETE (never TRUNCATE, REFERENCES, TRIGGER);
--   every table guarded by audit_events_are_append_only(): SELECT and INSERT only;
--   audit_outbox: no UPDATE (features insert, the sealer deletes what it chains);
--   schema_migrations: SELECT only.
-- Not owning the tables, the application role cannot ALTER them, drop them or disable a trigger.
CREATE FUNCTION apply_application_grants(target_schema name, app_role name) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    guarded record;
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', target_schema, app_role);
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', target_schema, app_role);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I', target_schema, app_role);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', target_schema, app_role);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', target_schema, app_role);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON %I.schema_migrations FROM %I', target_schema, app_role);
    EXECUTE format('REVOKE UPDATE ON %I.audit_outbox FROM %I', target_schema, app_role);
    FOR guarded IN
        SELECT DISTINCT c.relname
        FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_proc p ON p.oid = t.tgfoid
        WHERE n.nspname = target_schema AND p.proname = 'audit_events_are_append_only' AND p.pronamespace = n.oid
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE ON %I.%I FROM %I', target_schema, guarded.relname, app_role);
    END LOOP;
END;
$$;
REVOKE ALL ON FUNCTION apply_application_grants(name, name) FROM PUBLIC;
