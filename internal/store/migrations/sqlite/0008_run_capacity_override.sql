-- A run may carry more than its volunteer's capacity only when a
-- coordinator accepted it; the run remembers that, so its dispatch can tell.
ALTER TABLE runs ADD COLUMN capacity_override INTEGER NOT NULL DEFAULT 0 CHECK (capacity_override IN (0, 1));
