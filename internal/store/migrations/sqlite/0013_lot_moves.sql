-- When runs took goods from lots and brought them back. A lot keeps only
-- its running totals, and a report of a period needs each movement with
-- its time: quantity is what the run took (positive) or brought back
-- (negative) in one change.
CREATE TABLE lot_moves (
    depot_id  TEXT NOT NULL,
    lot_id    TEXT NOT NULL,
    run_id    TEXT NOT NULL REFERENCES runs (id),
    move_time TEXT NOT NULL,
    quantity  INTEGER NOT NULL CHECK (quantity != 0),
    FOREIGN KEY (depot_id, lot_id) REFERENCES lots (depot_id, id)
) STRICT;
CREATE INDEX lot_moves_by_run ON lot_moves (run_id);
CREATE INDEX lot_moves_by_time ON lot_moves (move_time);

-- The moves made before this table, from what the runs recorded: a run
-- takes its loads in the change that starts it, and brings back what it
-- took and did not hand over in the change that completes it.
INSERT INTO lot_moves (depot_id, lot_id, run_id, move_time, quantity)
SELECT l.depot_id, l.lot_id, l.run_id, r.start_time, sum(l.quantity)
FROM run_loads l JOIN runs r ON r.id = l.run_id
WHERE r.start_time IS NOT NULL
GROUP BY l.run_id, l.depot_id, l.lot_id;

INSERT INTO lot_moves (depot_id, lot_id, run_id, move_time, quantity)
SELECT depot_id, lot_id, run_id, complete_time, -(loaded - dropped)
FROM (
    SELECT l.depot_id, l.lot_id, l.run_id, r.complete_time, sum(l.quantity) AS loaded,
        COALESCE((SELECT sum(d.quantity) FROM lot_drops d
            WHERE d.run_id = l.run_id AND d.depot_id = l.depot_id AND d.lot_id = l.lot_id), 0) AS dropped
    FROM run_loads l JOIN runs r ON r.id = l.run_id
    WHERE r.state = 'COMPLETED' AND r.complete_time IS NOT NULL
    GROUP BY l.run_id, l.depot_id, l.lot_id
)
WHERE loaded > dropped;
