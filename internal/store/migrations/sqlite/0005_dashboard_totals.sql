-- Running totals for the dashboard, kept by triggers in the same
-- transaction as every change, so the summary reads a few dozen rows instead
-- of every request.

CREATE TABLE request_totals (
    hospital_id TEXT NOT NULL,
    state       TEXT NOT NULL,
    priority    INTEGER NOT NULL,
    requests    INTEGER NOT NULL,
    PRIMARY KEY (hospital_id, state, priority)
) STRICT, WITHOUT ROWID;

-- What is still to deliver of waiting requests, in thousandths of the unit.
CREATE TABLE outstanding_totals (
    hospital_id TEXT NOT NULL,
    category    TEXT NOT NULL,
    unit        TEXT NOT NULL,
    quantity    INTEGER NOT NULL,
    PRIMARY KEY (hospital_id, category, unit)
) STRICT, WITHOUT ROWID;

INSERT INTO request_totals (hospital_id, state, priority, requests)
    SELECT hospital_id, state, priority, count(*) FROM delivery_requests GROUP BY hospital_id, state, priority;
INSERT INTO outstanding_totals (hospital_id, category, unit, quantity)
    SELECT r.hospital_id, l.category, l.unit, sum(max(0, l.quantity - l.delivered_quantity))
    FROM delivery_requests r JOIN delivery_request_lines l ON l.delivery_request_id = r.id
    WHERE r.waiting = 1 GROUP BY r.hospital_id, l.category, l.unit;

CREATE TRIGGER request_totals_insert AFTER INSERT ON delivery_requests BEGIN
    INSERT INTO request_totals VALUES (NEW.hospital_id, NEW.state, NEW.priority, 1)
        ON CONFLICT DO UPDATE SET requests = requests + 1;
END;

CREATE TRIGGER request_totals_delete AFTER DELETE ON delivery_requests BEGIN
    UPDATE request_totals SET requests = requests - 1
        WHERE hospital_id = OLD.hospital_id AND state = OLD.state AND priority = OLD.priority;
END;

CREATE TRIGGER request_totals_update AFTER UPDATE OF hospital_id, state, priority ON delivery_requests BEGIN
    UPDATE request_totals SET requests = requests - 1
        WHERE hospital_id = OLD.hospital_id AND state = OLD.state AND priority = OLD.priority;
    INSERT INTO request_totals VALUES (NEW.hospital_id, NEW.state, NEW.priority, 1)
        ON CONFLICT DO UPDATE SET requests = requests + 1;
    -- A request that stops or starts waiting, or moves hospital, takes its
    -- lines' outstanding quantity with it.
    UPDATE outstanding_totals SET quantity = quantity - (
            SELECT coalesce(sum(max(0, l.quantity - l.delivered_quantity)), 0) FROM delivery_request_lines l
            WHERE l.delivery_request_id = OLD.id AND l.category = outstanding_totals.category AND l.unit = outstanding_totals.unit)
        WHERE OLD.waiting = 1 AND (NEW.waiting = 0 OR NEW.hospital_id != OLD.hospital_id) AND hospital_id = OLD.hospital_id;
    INSERT INTO outstanding_totals
        SELECT NEW.hospital_id, l.category, l.unit, sum(max(0, l.quantity - l.delivered_quantity)) FROM delivery_request_lines l
        WHERE l.delivery_request_id = NEW.id AND NEW.waiting = 1 AND (OLD.waiting = 0 OR NEW.hospital_id != OLD.hospital_id)
        GROUP BY l.category, l.unit
        ON CONFLICT DO UPDATE SET quantity = quantity + excluded.quantity;
END;

CREATE TRIGGER outstanding_totals_line_insert AFTER INSERT ON delivery_request_lines BEGIN
    INSERT INTO outstanding_totals
        SELECT r.hospital_id, NEW.category, NEW.unit, max(0, NEW.quantity - NEW.delivered_quantity) FROM delivery_requests r
        WHERE r.id = NEW.delivery_request_id AND r.waiting = 1
        ON CONFLICT DO UPDATE SET quantity = quantity + excluded.quantity;
END;

CREATE TRIGGER outstanding_totals_line_delete AFTER DELETE ON delivery_request_lines BEGIN
    UPDATE outstanding_totals SET quantity = quantity - max(0, OLD.quantity - OLD.delivered_quantity)
        WHERE category = OLD.category AND unit = OLD.unit AND hospital_id = (
            SELECT r.hospital_id FROM delivery_requests r WHERE r.id = OLD.delivery_request_id AND r.waiting = 1);
END;

CREATE TRIGGER outstanding_totals_line_update AFTER UPDATE ON delivery_request_lines BEGIN
    UPDATE outstanding_totals SET quantity = quantity - max(0, OLD.quantity - OLD.delivered_quantity)
        WHERE category = OLD.category AND unit = OLD.unit AND hospital_id = (
            SELECT r.hospital_id FROM delivery_requests r WHERE r.id = OLD.delivery_request_id AND r.waiting = 1);
    INSERT INTO outstanding_totals
        SELECT r.hospital_id, NEW.category, NEW.unit, max(0, NEW.quantity - NEW.delivered_quantity) FROM delivery_requests r
        WHERE r.id = NEW.delivery_request_id AND r.waiting = 1
        ON CONFLICT DO UPDATE SET quantity = quantity + excluded.quantity;
END;

-- Overdue counts read waiting requests by deadline.
CREATE INDEX delivery_requests_overdue ON delivery_requests (waiting, deliver_before, hospital_id);
