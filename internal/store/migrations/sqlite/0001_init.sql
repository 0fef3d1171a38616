-- Aq Júrek schema, version 1. Times are UTC, RFC 3339 with microseconds and a
-- fixed width, so text order is time order. Quantities are integers in
-- thousandths of their unit. Enums are stored by name (priority by rank, for
-- ordering), so the database reads like the API.

CREATE TABLE hospitals (
    id             TEXT PRIMARY KEY,
    display_name   TEXT NOT NULL,
    address        TEXT NOT NULL,
    latitude       REAL,
    longitude      REAL,
    phone          TEXT NOT NULL,
    delivery_notes TEXT NOT NULL,
    archived       INTEGER NOT NULL CHECK (archived IN (0, 1)),
    create_time    TEXT NOT NULL,
    update_time    TEXT NOT NULL,
    revision       INTEGER NOT NULL
) STRICT;
CREATE INDEX hospitals_by_display_name ON hospitals (display_name, id);

CREATE TABLE wards (
    hospital_id           TEXT NOT NULL REFERENCES hospitals (id) ON DELETE CASCADE,
    id                    TEXT NOT NULL,
    display_name          TEXT NOT NULL,
    building              TEXT NOT NULL,
    drop_off_instructions TEXT NOT NULL,
    staff_on_shift        INTEGER NOT NULL,
    contact_phone         TEXT NOT NULL,
    archived              INTEGER NOT NULL CHECK (archived IN (0, 1)),
    create_time           TEXT NOT NULL,
    update_time           TEXT NOT NULL,
    revision              INTEGER NOT NULL,
    PRIMARY KEY (hospital_id, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX wards_by_display_name ON wards (hospital_id, display_name, id);

CREATE TABLE depots (
    id           TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    address      TEXT NOT NULL,
    latitude     REAL,
    longitude    REAL,
    hours        TEXT NOT NULL,
    phone        TEXT NOT NULL,
    archived     INTEGER NOT NULL CHECK (archived IN (0, 1)),
    create_time  TEXT NOT NULL,
    update_time  TEXT NOT NULL,
    revision     INTEGER NOT NULL
) STRICT;
CREATE INDEX depots_by_display_name ON depots (display_name, id);

CREATE TABLE volunteers (
    id           TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    phone        TEXT NOT NULL,
    vehicle_kind TEXT NOT NULL,
    capacity_kg  REAL NOT NULL,
    active       INTEGER NOT NULL CHECK (active IN (0, 1)),
    create_time  TEXT NOT NULL,
    update_time  TEXT NOT NULL,
    revision     INTEGER NOT NULL
) STRICT;
CREATE INDEX volunteers_by_display_name ON volunteers (display_name, id);

CREATE TABLE delivery_requests (
    id             TEXT PRIMARY KEY,
    hospital_id    TEXT NOT NULL,
    ward_id        TEXT NOT NULL,
    priority       INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 3),
    deliver_after  TEXT,
    deliver_before TEXT NOT NULL,
    headcount      INTEGER NOT NULL,
    dietary_notes  TEXT NOT NULL,
    notes          TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('OPEN', 'SCHEDULED', 'IN_TRANSIT', 'DELIVERED', 'CANCELLED')),
    run_id         TEXT,
    cancel_reason  TEXT NOT NULL,
    create_time    TEXT NOT NULL,
    update_time    TEXT NOT NULL,
    revision       INTEGER NOT NULL,
    FOREIGN KEY (hospital_id, ward_id) REFERENCES wards (hospital_id, id)
) STRICT;
-- The coordinator's board and a hospital's own list: by state, most urgent first.
CREATE INDEX delivery_requests_by_hospital ON delivery_requests (hospital_id, state, priority DESC, deliver_before, id);
CREATE INDEX delivery_requests_by_state ON delivery_requests (state, priority DESC, deliver_before, id);
CREATE INDEX delivery_requests_by_ward ON delivery_requests (hospital_id, ward_id, priority DESC, deliver_before, id);
CREATE INDEX delivery_requests_by_deadline ON delivery_requests (deliver_before, id);
CREATE INDEX delivery_requests_by_create_time ON delivery_requests (create_time, id);

CREATE TABLE delivery_request_lines (
    delivery_request_id TEXT NOT NULL REFERENCES delivery_requests (id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    category            TEXT NOT NULL,
    description         TEXT NOT NULL,
    unit                TEXT NOT NULL,
    quantity            INTEGER NOT NULL CHECK (quantity > 0),
    scheduled_quantity  INTEGER NOT NULL CHECK (scheduled_quantity >= 0),
    delivered_quantity  INTEGER NOT NULL CHECK (delivered_quantity >= 0),
    PRIMARY KEY (delivery_request_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX delivery_request_lines_by_category ON delivery_request_lines (category, delivery_request_id);

-- The append-only change log; AUTOINCREMENT so a sequence is never reused.
CREATE TABLE events (
    sequence    INTEGER PRIMARY KEY AUTOINCREMENT,
    event_time  TEXT NOT NULL,
    actor       TEXT NOT NULL,
    actor_role  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    resource    TEXT NOT NULL,
    summary     TEXT NOT NULL,
    hospital_id TEXT
) STRICT;
CREATE INDEX events_by_resource ON events (resource, sequence);

-- Results of calls that carried a request_id (AIP-155), so a retry returns
-- the first result instead of acting twice.
CREATE TABLE idempotency_keys (
    actor       TEXT NOT NULL,
    method      TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    fingerprint BLOB NOT NULL,
    resource    TEXT NOT NULL,
    create_time TEXT NOT NULL,
    PRIMARY KEY (actor, method, request_id)
) STRICT, WITHOUT ROWID;
