-- Runs, their stops, the requests dropped at each stop, and the proof of
-- each drop. Stops keep their id when reordered; position is the order.

CREATE TABLE runs (
    id                 TEXT PRIMARY KEY,
    volunteer_id       TEXT NOT NULL REFERENCES volunteers (id),
    depot_id           TEXT NOT NULL REFERENCES depots (id),
    planned_start_time TEXT NOT NULL,
    state              TEXT NOT NULL CHECK (state IN ('PLANNED', 'DISPATCHED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED')),
    notes              TEXT NOT NULL,
    load_kg            REAL NOT NULL,
    cancel_reason      TEXT NOT NULL,
    dispatch_time      TEXT,
    start_time         TEXT,
    complete_time      TEXT,
    create_time        TEXT NOT NULL,
    update_time        TEXT NOT NULL,
    revision           INTEGER NOT NULL
) STRICT;
CREATE INDEX runs_by_start ON runs (planned_start_time, id);
CREATE INDEX runs_by_volunteer ON runs (volunteer_id, planned_start_time, id);
CREATE INDEX runs_by_state ON runs (state, planned_start_time, id);

CREATE TABLE stops (
    run_id         TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    id             TEXT NOT NULL,
    position       INTEGER NOT NULL,
    hospital_id    TEXT NOT NULL,
    ward_id        TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('PENDING', 'DELIVERED', 'FAILED')),
    received_by    TEXT NOT NULL,
    deliver_time   TEXT,
    failure_reason TEXT NOT NULL,
    note           TEXT NOT NULL,
    PRIMARY KEY (run_id, id),
    FOREIGN KEY (hospital_id, ward_id) REFERENCES wards (hospital_id, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX stops_by_deliver_time ON stops (deliver_time) WHERE state = 'DELIVERED';

CREATE TABLE stop_requests (
    run_id              TEXT NOT NULL,
    stop_id             TEXT NOT NULL,
    position            INTEGER NOT NULL,
    delivery_request_id TEXT NOT NULL REFERENCES delivery_requests (id),
    PRIMARY KEY (run_id, stop_id, delivery_request_id),
    FOREIGN KEY (run_id, stop_id) REFERENCES stops (run_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX stop_requests_by_request ON stop_requests (delivery_request_id);

CREATE TABLE stop_deliveries (
    run_id              TEXT NOT NULL,
    stop_id             TEXT NOT NULL,
    position            INTEGER NOT NULL,
    delivery_request_id TEXT NOT NULL REFERENCES delivery_requests (id),
    line                INTEGER NOT NULL,
    quantity            INTEGER NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (run_id, stop_id, position),
    FOREIGN KEY (run_id, stop_id) REFERENCES stops (run_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

-- Events about a run name its volunteer, so a driver can be shown only theirs.
ALTER TABLE events ADD COLUMN volunteer_id TEXT;
CREATE INDEX delivery_requests_by_run ON delivery_requests (run_id) WHERE run_id IS NOT NULL;
