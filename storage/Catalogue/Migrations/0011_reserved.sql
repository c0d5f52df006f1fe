-- Placeholder: number 0011 belongs to another branch's migration, which replaces this file when merged.
-- It only keeps the numbering without gaps (the migrator requires that) so 0013 can run meanwhile.
SELECT 1;
