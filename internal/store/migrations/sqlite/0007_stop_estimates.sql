-- Each pending stop carries when the driver is expected and whether that is
-- past a deadline there; the domain recomputes both on every change of the
-- run, so reads need no route work.
ALTER TABLE stops ADD COLUMN estimated_arrival_time TEXT;
ALTER TABLE stops ADD COLUMN deadline_at_risk INTEGER NOT NULL DEFAULT 0 CHECK (deadline_at_risk IN (0, 1));
