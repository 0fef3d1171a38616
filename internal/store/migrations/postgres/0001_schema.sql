-- Aq Júrek schema on PostgreSQL: the schema SQLite's migrations 0001 to 0013
-- end in, as one migration. The store sends both engines the same SQL text
-- and a tool copies a database from one to the other table by table, column
-- by column, so every table has the same columns in the same order, the
-- same keys, checks and indexes, and its values the same form:
--
-- * Times are UTC text, RFC 3339 with microseconds and a fixed width
--   ("2006-01-02T15:04:05.000000Z"), so text order is time order.
-- * Every SQLite INTEGER is bigint, flags and enums too: SQLite's integers
--   are 64-bit, so whatever one engine holds the other holds, and a copy
--   needs no rule per column. Booleans are 0/1 as in SQLite, never boolean.
--   Quantities are integers in thousandths of their unit, money in the
--   currency's minor units.
-- * TEXT is text COLLATE "C", so text compares byte by byte as SQLite's
--   BINARY does, whatever the database's default collation: lists read in
--   the same order from both engines, and the fixed-width times in time order.
-- * REAL is double precision, BLOB is bytea.
-- * Enums are stored by name (priority by rank, for ordering), so the
--   database reads like the API.
--
-- Names are never qualified by schema: the store chooses the schema with
-- search_path, and the triggers' functions find their tables through it.
-- schema_migrations is made by the store itself.

CREATE TABLE hospitals (
    id             text COLLATE "C" PRIMARY KEY,
    display_name   text COLLATE "C" NOT NULL,
    address        text COLLATE "C" NOT NULL,
    latitude       double precision,
    longitude      double precision,
    phone          text COLLATE "C" NOT NULL,
    delivery_notes text COLLATE "C" NOT NULL,
    archived       bigint NOT NULL CHECK (archived IN (0, 1)),
    create_time    text COLLATE "C" NOT NULL,
    update_time    text COLLATE "C" NOT NULL,
    revision       bigint NOT NULL
);
CREATE INDEX hospitals_by_display_name ON hospitals (display_name, id);

CREATE TABLE wards (
    hospital_id           text COLLATE "C" NOT NULL REFERENCES hospitals (id) ON DELETE CASCADE,
    id                    text COLLATE "C" NOT NULL,
    display_name          text COLLATE "C" NOT NULL,
    building              text COLLATE "C" NOT NULL,
    drop_off_instructions text COLLATE "C" NOT NULL,
    staff_on_shift        bigint NOT NULL,
    contact_phone         text COLLATE "C" NOT NULL,
    archived              bigint NOT NULL CHECK (archived IN (0, 1)),
    create_time           text COLLATE "C" NOT NULL,
    update_time           text COLLATE "C" NOT NULL,
    revision              bigint NOT NULL,
    PRIMARY KEY (hospital_id, id)
);
CREATE INDEX wards_by_display_name ON wards (hospital_id, display_name, id);

-- A depot that keeps no stock (a kitchen cooking to order) says so
-- (no_stock).
CREATE TABLE depots (
    id           text COLLATE "C" PRIMARY KEY,
    display_name text COLLATE "C" NOT NULL,
    address      text COLLATE "C" NOT NULL,
    latitude     double precision,
    longitude    double precision,
    hours        text COLLATE "C" NOT NULL,
    phone        text COLLATE "C" NOT NULL,
    archived     bigint NOT NULL CHECK (archived IN (0, 1)),
    create_time  text COLLATE "C" NOT NULL,
    update_time  text COLLATE "C" NOT NULL,
    revision     bigint NOT NULL,
    no_stock     bigint NOT NULL DEFAULT 0 CHECK (no_stock IN (0, 1))
);
CREATE INDEX depots_by_display_name ON depots (display_name, id);

CREATE TABLE volunteers (
    id           text COLLATE "C" PRIMARY KEY,
    display_name text COLLATE "C" NOT NULL,
    phone        text COLLATE "C" NOT NULL,
    vehicle_kind text COLLATE "C" NOT NULL,
    capacity_kg  double precision NOT NULL,
    active       bigint NOT NULL CHECK (active IN (0, 1)),
    create_time  text COLLATE "C" NOT NULL,
    update_time  text COLLATE "C" NOT NULL,
    revision     bigint NOT NULL
);
CREATE INDEX volunteers_by_display_name ON volunteers (display_name, id);

-- waiting is 1 for the three waiting states. Lists read an index in their
-- order and stop after a page. A filter on the waiting states (the
-- coordinator's board, a hospital's open needs, overdue) cannot do that
-- with state IN (...), so it reads this column. SQLite computes it on read
-- (VIRTUAL); PostgreSQL can only store it, and it is 0/1, not a boolean, as
-- in SQLite. It stays the last column, where SQLite's ALTER TABLE put it.
CREATE TABLE delivery_requests (
    id             text COLLATE "C" PRIMARY KEY,
    hospital_id    text COLLATE "C" NOT NULL,
    ward_id        text COLLATE "C" NOT NULL,
    priority       bigint NOT NULL CHECK (priority BETWEEN 1 AND 3),
    deliver_after  text COLLATE "C",
    deliver_before text COLLATE "C" NOT NULL,
    headcount      bigint NOT NULL,
    dietary_notes  text COLLATE "C" NOT NULL,
    notes          text COLLATE "C" NOT NULL,
    state          text COLLATE "C" NOT NULL CHECK (state IN ('OPEN', 'SCHEDULED', 'IN_TRANSIT', 'DELIVERED', 'CANCELLED')),
    run_id         text COLLATE "C",
    cancel_reason  text COLLATE "C" NOT NULL,
    create_time    text COLLATE "C" NOT NULL,
    update_time    text COLLATE "C" NOT NULL,
    revision       bigint NOT NULL,
    waiting        bigint GENERATED ALWAYS AS (
        CASE WHEN state IN ('OPEN', 'SCHEDULED', 'IN_TRANSIT') THEN 1 ELSE 0 END) STORED,
    FOREIGN KEY (hospital_id, ward_id) REFERENCES wards (hospital_id, id)
);
-- The coordinator's board and a hospital's own list: waiting or not, most
-- urgent first. Lists of one state read these in order and filter as they
-- go, so there is no index by state: every index is written on every change
-- and weighs on every commit.
CREATE INDEX delivery_requests_waiting ON delivery_requests (waiting, priority DESC, deliver_before, id);
CREATE INDEX delivery_requests_waiting_by_hospital ON delivery_requests (hospital_id, waiting, priority DESC, deliver_before, id);
CREATE INDEX delivery_requests_by_ward ON delivery_requests (hospital_id, ward_id, waiting, priority DESC, deliver_before, id);
CREATE INDEX delivery_requests_in_order ON delivery_requests (priority DESC, deliver_before, id);
CREATE INDEX delivery_requests_by_hospital_in_order ON delivery_requests (hospital_id, priority DESC, deliver_before, id);
CREATE INDEX delivery_requests_by_deadline ON delivery_requests (deliver_before, id);
CREATE INDEX delivery_requests_by_create_time ON delivery_requests (create_time, id);
CREATE INDEX delivery_requests_by_run ON delivery_requests (run_id) WHERE run_id IS NOT NULL;
-- Overdue counts read waiting requests by deadline.
CREATE INDEX delivery_requests_overdue ON delivery_requests (waiting, deliver_before, hospital_id);

CREATE TABLE delivery_request_lines (
    delivery_request_id text COLLATE "C" NOT NULL REFERENCES delivery_requests (id) ON DELETE CASCADE,
    position            bigint NOT NULL,
    category            text COLLATE "C" NOT NULL,
    description         text COLLATE "C" NOT NULL,
    unit                text COLLATE "C" NOT NULL,
    quantity            bigint NOT NULL CHECK (quantity > 0),
    scheduled_quantity  bigint NOT NULL CHECK (scheduled_quantity >= 0),
    delivered_quantity  bigint NOT NULL CHECK (delivered_quantity >= 0),
    PRIMARY KEY (delivery_request_id, position)
);
CREATE INDEX delivery_request_lines_by_category ON delivery_request_lines (category, delivery_request_id);

-- The append-only change log. SQLite numbers it with AUTOINCREMENT; here
-- the store gives each event the last sequence plus one under a lock held
-- until commit, so sequences are gap-free and in commit order, which a
-- reader resuming after a sequence relies on. A PostgreSQL sequence would
-- hand out numbers that commit out of order, so there is no default.
-- volunteer_id: events about a run name its volunteer, so a driver can be
-- shown only theirs.
CREATE TABLE events (
    sequence     bigint PRIMARY KEY,
    event_time   text COLLATE "C" NOT NULL,
    actor        text COLLATE "C" NOT NULL,
    actor_role   text COLLATE "C" NOT NULL,
    kind         text COLLATE "C" NOT NULL,
    resource     text COLLATE "C" NOT NULL,
    summary      text COLLATE "C" NOT NULL,
    hospital_id  text COLLATE "C",
    volunteer_id text COLLATE "C"
);
CREATE INDEX events_by_resource ON events (resource, sequence);

-- Results of calls that carried a request_id (AIP-155), so a retry returns
-- the first result instead of acting twice.
CREATE TABLE idempotency_keys (
    actor       text COLLATE "C" NOT NULL,
    method      text COLLATE "C" NOT NULL,
    request_id  text COLLATE "C" NOT NULL,
    fingerprint bytea NOT NULL,
    resource    text COLLATE "C" NOT NULL,
    create_time text COLLATE "C" NOT NULL,
    PRIMARY KEY (actor, method, request_id)
);

-- Runs, their stops, the requests dropped at each stop, and the proof of
-- each drop. Stops keep their id when reordered; position is the order.
-- A run may carry more than its volunteer's capacity (capacity_override),
-- or go short of stock (stock_override), only when a coordinator accepted
-- it; the run remembers that, so its dispatch can tell.
CREATE TABLE runs (
    id                 text COLLATE "C" PRIMARY KEY,
    volunteer_id       text COLLATE "C" NOT NULL REFERENCES volunteers (id),
    depot_id           text COLLATE "C" NOT NULL REFERENCES depots (id),
    planned_start_time text COLLATE "C" NOT NULL,
    state              text COLLATE "C" NOT NULL CHECK (state IN ('PLANNED', 'DISPATCHED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED')),
    notes              text COLLATE "C" NOT NULL,
    load_kg            double precision NOT NULL,
    cancel_reason      text COLLATE "C" NOT NULL,
    dispatch_time      text COLLATE "C",
    start_time         text COLLATE "C",
    complete_time      text COLLATE "C",
    create_time        text COLLATE "C" NOT NULL,
    update_time        text COLLATE "C" NOT NULL,
    revision           bigint NOT NULL,
    capacity_override  bigint NOT NULL DEFAULT 0 CHECK (capacity_override IN (0, 1)),
    stock_override     bigint NOT NULL DEFAULT 0 CHECK (stock_override IN (0, 1))
);
CREATE INDEX runs_by_start ON runs (planned_start_time, id);
CREATE INDEX runs_by_volunteer ON runs (volunteer_id, planned_start_time, id);
CREATE INDEX runs_by_state ON runs (state, planned_start_time, id);

-- Each pending stop carries when the driver is expected and whether that is
-- past a deadline there; the domain recomputes both on every change of the
-- run, so reads need no route work.
CREATE TABLE stops (
    run_id                 text COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    id                     text COLLATE "C" NOT NULL,
    position               bigint NOT NULL,
    hospital_id            text COLLATE "C" NOT NULL,
    ward_id                text COLLATE "C" NOT NULL,
    state                  text COLLATE "C" NOT NULL CHECK (state IN ('PENDING', 'DELIVERED', 'FAILED')),
    received_by            text COLLATE "C" NOT NULL,
    deliver_time           text COLLATE "C",
    failure_reason         text COLLATE "C" NOT NULL,
    note                   text COLLATE "C" NOT NULL,
    estimated_arrival_time text COLLATE "C",
    deadline_at_risk       bigint NOT NULL DEFAULT 0 CHECK (deadline_at_risk IN (0, 1)),
    PRIMARY KEY (run_id, id),
    FOREIGN KEY (hospital_id, ward_id) REFERENCES wards (hospital_id, id)
);
CREATE INDEX stops_by_deliver_time ON stops (deliver_time) WHERE state = 'DELIVERED';

CREATE TABLE stop_requests (
    run_id              text COLLATE "C" NOT NULL,
    stop_id             text COLLATE "C" NOT NULL,
    position            bigint NOT NULL,
    delivery_request_id text COLLATE "C" NOT NULL REFERENCES delivery_requests (id),
    PRIMARY KEY (run_id, stop_id, delivery_request_id),
    FOREIGN KEY (run_id, stop_id) REFERENCES stops (run_id, id) ON DELETE CASCADE
);
CREATE INDEX stop_requests_by_request ON stop_requests (delivery_request_id);

CREATE TABLE stop_deliveries (
    run_id              text COLLATE "C" NOT NULL,
    stop_id             text COLLATE "C" NOT NULL,
    position            bigint NOT NULL,
    delivery_request_id text COLLATE "C" NOT NULL REFERENCES delivery_requests (id),
    line                bigint NOT NULL,
    quantity            bigint NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (run_id, stop_id, position),
    FOREIGN KEY (run_id, stop_id) REFERENCES stops (run_id, id) ON DELETE CASCADE
);

-- Bearer tokens. Only a hash of each secret is kept; the secret is shown
-- once, when the token is made.
CREATE TABLE tokens (
    id             text COLLATE "C" PRIMARY KEY,
    name           text COLLATE "C" NOT NULL,
    role           text COLLATE "C" NOT NULL CHECK (role IN ('admin', 'coordinator', 'staff', 'driver')),
    hospital_id    text COLLATE "C" REFERENCES hospitals (id),
    volunteer_id   text COLLATE "C" REFERENCES volunteers (id),
    demo           bigint NOT NULL CHECK (demo IN (0, 1)),
    secret_hash    bytea NOT NULL,
    create_time    text COLLATE "C" NOT NULL,
    last_used_time text COLLATE "C",
    revoke_time    text COLLATE "C",
    CHECK ((role = 'staff') = (hospital_id IS NOT NULL)),
    CHECK ((role = 'driver') = (volunteer_id IS NOT NULL))
);

-- Running totals for the dashboard, kept by triggers in the same
-- transaction as every change, so the summary reads a few dozen rows instead
-- of every request.
CREATE TABLE request_totals (
    hospital_id text COLLATE "C" NOT NULL,
    state       text COLLATE "C" NOT NULL,
    priority    bigint NOT NULL,
    requests    bigint NOT NULL,
    PRIMARY KEY (hospital_id, state, priority)
);

-- What is still to deliver of waiting requests, in thousandths of the unit.
CREATE TABLE outstanding_totals (
    hospital_id text COLLATE "C" NOT NULL,
    category    text COLLATE "C" NOT NULL,
    unit        text COLLATE "C" NOT NULL,
    quantity    bigint NOT NULL,
    PRIMARY KEY (hospital_id, category, unit)
);

-- The triggers do what SQLite's do, statement for statement: SQLite's
-- scalar max(a, b) is GREATEST(a, b), and ON CONFLICT names its key. A
-- row trigger here runs at the end of its statement rather than after each
-- row, which changes nothing: each reads only the table its statement does
-- not write.

CREATE FUNCTION request_totals_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO request_totals AS t (hospital_id, state, priority, requests)
        VALUES (NEW.hospital_id, NEW.state, NEW.priority, 1)
        ON CONFLICT (hospital_id, state, priority) DO UPDATE SET requests = t.requests + 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER request_totals_insert AFTER INSERT ON delivery_requests
    FOR EACH ROW EXECUTE FUNCTION request_totals_insert();

CREATE FUNCTION request_totals_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE request_totals SET requests = requests - 1
        WHERE hospital_id = OLD.hospital_id AND state = OLD.state AND priority = OLD.priority;
    RETURN NULL;
END;
$$;
CREATE TRIGGER request_totals_delete AFTER DELETE ON delivery_requests
    FOR EACH ROW EXECUTE FUNCTION request_totals_delete();

CREATE FUNCTION request_totals_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE request_totals SET requests = requests - 1
        WHERE hospital_id = OLD.hospital_id AND state = OLD.state AND priority = OLD.priority;
    INSERT INTO request_totals AS t (hospital_id, state, priority, requests)
        VALUES (NEW.hospital_id, NEW.state, NEW.priority, 1)
        ON CONFLICT (hospital_id, state, priority) DO UPDATE SET requests = t.requests + 1;
    -- A request that stops or starts waiting, or moves hospital, takes its
    -- lines' outstanding quantity with it.
    UPDATE outstanding_totals t SET quantity = t.quantity - (
            SELECT coalesce(sum(GREATEST(0, l.quantity - l.delivered_quantity)), 0) FROM delivery_request_lines l
            WHERE l.delivery_request_id = OLD.id AND l.category = t.category AND l.unit = t.unit)
        WHERE OLD.waiting = 1 AND (NEW.waiting = 0 OR NEW.hospital_id <> OLD.hospital_id) AND t.hospital_id = OLD.hospital_id;
    INSERT INTO outstanding_totals AS t (hospital_id, category, unit, quantity)
        SELECT NEW.hospital_id, l.category, l.unit, sum(GREATEST(0, l.quantity - l.delivered_quantity)) FROM delivery_request_lines l
        WHERE l.delivery_request_id = NEW.id AND NEW.waiting = 1 AND (OLD.waiting = 0 OR NEW.hospital_id <> OLD.hospital_id)
        GROUP BY l.category, l.unit
        ON CONFLICT (hospital_id, category, unit) DO UPDATE SET quantity = t.quantity + excluded.quantity;
    RETURN NULL;
END;
$$;
-- As in SQLite, it fires for every UPDATE that writes one of these
-- columns, changed or not; when nothing moved, it leaves the totals as
-- they were.
CREATE TRIGGER request_totals_update AFTER UPDATE OF hospital_id, state, priority ON delivery_requests
    FOR EACH ROW EXECUTE FUNCTION request_totals_update();

CREATE FUNCTION outstanding_totals_line_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outstanding_totals AS t (hospital_id, category, unit, quantity)
        SELECT r.hospital_id, NEW.category, NEW.unit, GREATEST(0, NEW.quantity - NEW.delivered_quantity) FROM delivery_requests r
        WHERE r.id = NEW.delivery_request_id AND r.waiting = 1
        ON CONFLICT (hospital_id, category, unit) DO UPDATE SET quantity = t.quantity + excluded.quantity;
    RETURN NULL;
END;
$$;
CREATE TRIGGER outstanding_totals_line_insert AFTER INSERT ON delivery_request_lines
    FOR EACH ROW EXECUTE FUNCTION outstanding_totals_line_insert();

CREATE FUNCTION outstanding_totals_line_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE outstanding_totals SET quantity = quantity - GREATEST(0, OLD.quantity - OLD.delivered_quantity)
        WHERE category = OLD.category AND unit = OLD.unit AND hospital_id = (
            SELECT r.hospital_id FROM delivery_requests r WHERE r.id = OLD.delivery_request_id AND r.waiting = 1);
    RETURN NULL;
END;
$$;
CREATE TRIGGER outstanding_totals_line_delete AFTER DELETE ON delivery_request_lines
    FOR EACH ROW EXECUTE FUNCTION outstanding_totals_line_delete();

CREATE FUNCTION outstanding_totals_line_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE outstanding_totals SET quantity = quantity - GREATEST(0, OLD.quantity - OLD.delivered_quantity)
        WHERE category = OLD.category AND unit = OLD.unit AND hospital_id = (
            SELECT r.hospital_id FROM delivery_requests r WHERE r.id = OLD.delivery_request_id AND r.waiting = 1);
    INSERT INTO outstanding_totals AS t (hospital_id, category, unit, quantity)
        SELECT r.hospital_id, NEW.category, NEW.unit, GREATEST(0, NEW.quantity - NEW.delivered_quantity) FROM delivery_requests r
        WHERE r.id = NEW.delivery_request_id AND r.waiting = 1
        ON CONFLICT (hospital_id, category, unit) DO UPDATE SET quantity = t.quantity + excluded.quantity;
    RETURN NULL;
END;
$$;
CREATE TRIGGER outstanding_totals_line_update AFTER UPDATE ON delivery_request_lines
    FOR EACH ROW EXECUTE FUNCTION outstanding_totals_line_update();

-- The donations ledger. Entries are never updated but to be marked
-- reversed, and never deleted: a reversing entry names the one it reverses,
-- at most one per donation. Money is in the currency's minor units.
CREATE TABLE donations (
    id                text COLLATE "C" PRIMARY KEY,
    donor_name        text COLLATE "C" NOT NULL,
    donor_contact     text COLLATE "C" NOT NULL,
    donor_public      bigint NOT NULL CHECK (donor_public IN (0, 1)),
    receive_time      text COLLATE "C" NOT NULL,
    kind              text COLLATE "C" NOT NULL CHECK (kind IN ('MONEY', 'GOODS')),
    currency          text COLLATE "C",
    amount_minor      bigint,
    channel           text COLLATE "C",
    payment_reference text COLLATE "C" NOT NULL,
    depot_id          text COLLATE "C" REFERENCES depots (id),
    notes             text COLLATE "C" NOT NULL,
    reverses_id       text COLLATE "C" UNIQUE REFERENCES donations (id),
    reversed_by_id    text COLLATE "C",
    reverse_reason    text COLLATE "C" NOT NULL,
    create_time       text COLLATE "C" NOT NULL,
    update_time       text COLLATE "C" NOT NULL,
    revision          bigint NOT NULL,
    CHECK ((kind = 'MONEY') = (currency IS NOT NULL AND amount_minor IS NOT NULL AND channel IS NOT NULL)),
    CHECK ((kind = 'GOODS') = (depot_id IS NOT NULL))
);
CREATE INDEX donations_by_receive_time ON donations (receive_time, id);
-- Purchases spend money donations of one currency oldest first.
CREATE INDEX donations_by_currency ON donations (currency, receive_time, id) WHERE kind = 'MONEY';

CREATE TABLE donation_lines (
    donation_id text COLLATE "C" NOT NULL REFERENCES donations (id),
    position    bigint NOT NULL,
    category    text COLLATE "C" NOT NULL,
    description text COLLATE "C" NOT NULL,
    quantity    bigint NOT NULL,
    unit        text COLLATE "C" NOT NULL,
    best_before text COLLATE "C",
    PRIMARY KEY (donation_id, position)
);

-- Purchases: money donations spent on goods received into a depot. Each
-- allocation is the part of a purchase one donation paid, in the
-- purchase's currency (always the donation's: nothing is converted).
CREATE TABLE purchases (
    id                text COLLATE "C" PRIMARY KEY,
    supplier          text COLLATE "C" NOT NULL,
    currency          text COLLATE "C" NOT NULL,
    amount_minor      bigint NOT NULL CHECK (amount_minor > 0),
    receipt_reference text COLLATE "C" NOT NULL,
    depot_id          text COLLATE "C" NOT NULL REFERENCES depots (id),
    purchase_time     text COLLATE "C" NOT NULL,
    notes             text COLLATE "C" NOT NULL,
    create_time       text COLLATE "C" NOT NULL,
    update_time       text COLLATE "C" NOT NULL,
    revision          bigint NOT NULL
);
CREATE INDEX purchases_by_purchase_time ON purchases (purchase_time, id);

CREATE TABLE purchase_lines (
    purchase_id text COLLATE "C" NOT NULL REFERENCES purchases (id),
    position    bigint NOT NULL,
    category    text COLLATE "C" NOT NULL,
    description text COLLATE "C" NOT NULL,
    quantity    bigint NOT NULL,
    unit        text COLLATE "C" NOT NULL,
    best_before text COLLATE "C",
    PRIMARY KEY (purchase_id, position)
);

CREATE TABLE allocations (
    purchase_id  text COLLATE "C" NOT NULL REFERENCES purchases (id),
    position     bigint NOT NULL,
    donation_id  text COLLATE "C" NOT NULL REFERENCES donations (id),
    amount_minor bigint NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (purchase_id, position)
);
CREATE INDEX allocations_by_donation ON allocations (donation_id, amount_minor);

-- Depot stock. Each line of goods received at a depot that keeps stock
-- becomes a lot; what it holds (on_hand) is what was received less what
-- runs took, what was written off and what went with the reversal of its
-- donation, and never below zero. on_hand is stored, where SQLite computes
-- it on read: PostgreSQL has no virtual generated columns.
CREATE TABLE lots (
    depot_id           text COLLATE "C" NOT NULL REFERENCES depots (id),
    id                 text COLLATE "C" NOT NULL,
    category           text COLLATE "C" NOT NULL,
    description        text COLLATE "C" NOT NULL,
    unit               text COLLATE "C" NOT NULL,
    received           bigint NOT NULL CHECK (received > 0),
    taken              bigint NOT NULL CHECK (taken >= 0),
    written_off        bigint NOT NULL CHECK (written_off >= 0),
    reversed           bigint NOT NULL CHECK (reversed >= 0),
    on_hand            bigint GENERATED ALWAYS AS (received - taken - written_off - reversed) STORED,
    best_before        text COLLATE "C",
    source_donation_id text COLLATE "C" REFERENCES donations (id),
    source_purchase_id text COLLATE "C" REFERENCES purchases (id),
    source_line        bigint NOT NULL,
    receive_time       text COLLATE "C" NOT NULL,
    create_time        text COLLATE "C" NOT NULL,
    update_time        text COLLATE "C" NOT NULL,
    revision           bigint NOT NULL,
    PRIMARY KEY (depot_id, id),
    CHECK (received - taken - written_off - reversed >= 0),
    CHECK ((source_donation_id IS NULL) <> (source_purchase_id IS NULL))
);
-- The lots to use first first: earliest best-before, lots that keep last,
-- then the oldest received. A query uses this index only when it orders by
-- the very same expression.
CREATE INDEX lots_by_best_before ON lots (depot_id, COALESCE(best_before, '9999-12-31'), receive_time, id);
CREATE INDEX lots_by_donation ON lots (source_donation_id) WHERE source_donation_id IS NOT NULL;
CREATE INDEX lots_by_purchase ON lots (source_purchase_id) WHERE source_purchase_id IS NOT NULL;

-- Each write-off, for the record of what spoiled when.
CREATE TABLE write_offs (
    depot_id   text COLLATE "C" NOT NULL,
    lot_id     text COLLATE "C" NOT NULL,
    write_time text COLLATE "C" NOT NULL,
    quantity   bigint NOT NULL CHECK (quantity > 0),
    reason     text COLLATE "C" NOT NULL,
    FOREIGN KEY (depot_id, lot_id) REFERENCES lots (depot_id, id),
    -- The order write-offs of one moment were recorded in.
    position   bigint
);
CREATE INDEX write_offs_by_time ON write_offs (write_time);

-- Runs take their load from their depot's lots. What a run took from each
-- lot for each request line is kept, and what of it was handed over at
-- each stop: the trace from a donor's gift to a ward.
CREATE TABLE run_loads (
    run_id              text COLLATE "C" NOT NULL REFERENCES runs (id),
    position            bigint NOT NULL,
    delivery_request_id text COLLATE "C" NOT NULL,
    line                bigint NOT NULL,
    depot_id            text COLLATE "C" NOT NULL,
    lot_id              text COLLATE "C" NOT NULL,
    quantity            bigint NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (run_id, position),
    FOREIGN KEY (depot_id, lot_id) REFERENCES lots (depot_id, id)
);

-- Stops are rewritten as their plan changes, so a drop refers to its run
-- and names its stop, and is never removed with a rewrite.
CREATE TABLE lot_drops (
    run_id              text COLLATE "C" NOT NULL REFERENCES runs (id),
    stop_id             text COLLATE "C" NOT NULL,
    position            bigint NOT NULL,
    delivery_request_id text COLLATE "C" NOT NULL,
    line                bigint NOT NULL,
    depot_id            text COLLATE "C" NOT NULL,
    lot_id              text COLLATE "C" NOT NULL,
    quantity            bigint NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (run_id, stop_id, position),
    FOREIGN KEY (depot_id, lot_id) REFERENCES lots (depot_id, id)
);
CREATE INDEX lot_drops_by_lot ON lot_drops (depot_id, lot_id);

-- When runs took goods from lots and brought them back. A lot keeps only
-- its running totals, and a report of a period needs each movement with
-- its time: quantity is what the run took (positive) or brought back
-- (negative) in one change.
CREATE TABLE lot_moves (
    depot_id  text COLLATE "C" NOT NULL,
    lot_id    text COLLATE "C" NOT NULL,
    run_id    text COLLATE "C" NOT NULL REFERENCES runs (id),
    move_time text COLLATE "C" NOT NULL,
    quantity  bigint NOT NULL CHECK (quantity <> 0),
    FOREIGN KEY (depot_id, lot_id) REFERENCES lots (depot_id, id)
);
CREATE INDEX lot_moves_by_run ON lot_moves (run_id);
CREATE INDEX lot_moves_by_time ON lot_moves (move_time);
