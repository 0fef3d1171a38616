-- Runs take their load from their depot's lots. A run may go short of
-- stock only when a coordinator accepted it; the run remembers that. What a
-- run took from each lot for each request line is kept, and what of it was
-- handed over at each stop: the trace from a donor's gift to a ward.
ALTER TABLE runs ADD COLUMN stock_override INTEGER NOT NULL DEFAULT 0 CHECK (stock_override IN (0, 1));

CREATE TABLE run_loads (
    run_id              TEXT NOT NULL REFERENCES runs (id),
    position            INTEGER NOT NULL,
    delivery_request_id TEXT NOT NULL,
    line                INTEGER NOT NULL,
    depot_id            TEXT NOT NULL,
    lot_id              TEXT NOT NULL,
    quantity            INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (run_id, position),
    FOREIGN KEY (depot_id, lot_id) REFERENCES lots (depot_id, id)
) STRICT, WITHOUT ROWID;

-- Stops are rewritten as their plan changes, so a drop refers to its run
-- and names its stop, and is never removed with a rewrite.
CREATE TABLE lot_drops (
    run_id              TEXT NOT NULL REFERENCES runs (id),
    stop_id             TEXT NOT NULL,
    position            INTEGER NOT NULL,
    delivery_request_id TEXT NOT NULL,
    line                INTEGER NOT NULL,
    depot_id            TEXT NOT NULL,
    lot_id              TEXT NOT NULL,
    quantity            INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (run_id, stop_id, position),
    FOREIGN KEY (depot_id, lot_id) REFERENCES lots (depot_id, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX lot_drops_by_lot ON lot_drops (depot_id, lot_id);
