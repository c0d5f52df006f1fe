-- Units form a tree (parent_code): a city bureau sees what its sub-units see, all the way down, and its
-- statistics roll up the same way. The tree is kept as a closure table — every (ancestor, descendant)
-- pair, a unit being its own ancestor at depth 0 — so the visibility rule asks one indexed question
-- ("is the footage's unit within the viewer's?") instead of walking the tree for every row.

CREATE TABLE unit_ancestry (
    ancestor_code       text NOT NULL REFERENCES units (code),
    descendant_code     text NOT NULL REFERENCES units (code),
    depth               integer NOT NULL CHECK (depth >= 0),
    PRIMARY KEY (ancestor_code, descendant_code)
);
CREATE INDEX unit_ancestry_descendant ON unit_ancestry (descendant_code, ancestor_code);

-- A unit cannot be its own ancestor: a cycle would make a unit see itself through its children and leave
-- the tree without a root.
CREATE FUNCTION units_refuse_cycles() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.parent_code IS NOT NULL AND (NEW.parent_code = NEW.code OR EXISTS (
            SELECT 1 FROM unit_ancestry WHERE ancestor_code = NEW.code AND descendant_code = NEW.parent_code)) THEN
        RAISE EXCEPTION 'unit % cannot be placed under % (its own sub-unit)', NEW.code, NEW.parent_code
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER units_no_cycles BEFORE INSERT OR UPDATE OF parent_code ON units
    FOR EACH ROW EXECUTE FUNCTION units_refuse_cycles();

-- Rebuilt whole after any change: units number in the hundreds and change rarely, so exactness is
-- cheaper than incremental bookkeeping.
CREATE FUNCTION unit_ancestry_rebuild() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM unit_ancestry;
    INSERT INTO unit_ancestry (ancestor_code, descendant_code, depth)
    WITH RECURSIVE walk (ancestor_code, descendant_code, depth) AS (
        SELECT code, code, 0 FROM units
        UNION ALL
        SELECT w.ancestor_code, u.code, w.depth + 1
        FROM walk w JOIN units u ON u.parent_code = w.descendant_code
    )
    SELECT ancestor_code, descendant_code, depth FROM walk;
    RETURN NULL;
END;
$$;
CREATE TRIGGER units_ancestry AFTER INSERT OR UPDATE OF parent_code OR DELETE ON units
    FOR EACH STATEMENT EXECUTE FUNCTION unit_ancestry_rebuild();

-- The units there are now.
INSERT INTO unit_ancestry (ancestor_code, descendant_code, depth)
WITH RECURSIVE walk (ancestor_code, descendant_code, depth) AS (
    SELECT code, code, 0 FROM units
    UNION ALL
    SELECT w.ancestor_code, u.code, w.depth + 1
    FROM walk w JOIN units u ON u.parent_code = w.descendant_code
)
SELECT ancestor_code, descendant_code, depth FROM walk;
