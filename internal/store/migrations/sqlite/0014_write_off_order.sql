-- Write-offs recorded at the same moment (a coordinator clearing a shelf)
-- are listed in the order they were recorded: their position says it on
-- every engine, as the rowid did in SQLite alone.
ALTER TABLE write_offs ADD COLUMN position INTEGER;
UPDATE write_offs SET position = rowid;
