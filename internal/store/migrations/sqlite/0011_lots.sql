-- Depot stock. A depot that keeps no stock (a kitchen cooking to order)
-- says so. Each line of goods received at a depot that keeps stock becomes
-- a lot; what it holds is what was received less what runs took, what was
-- written off and what went with the reversal of its donation, and never
-- below zero.
ALTER TABLE depots ADD COLUMN no_stock INTEGER NOT NULL DEFAULT 0 CHECK (no_stock IN (0, 1));

CREATE TABLE lots (
    depot_id           TEXT NOT NULL REFERENCES depots (id),
    id                 TEXT NOT NULL,
    category           TEXT NOT NULL,
    description        TEXT NOT NULL,
    unit               TEXT NOT NULL,
    received           INTEGER NOT NULL CHECK (received > 0),
    taken              INTEGER NOT NULL CHECK (taken >= 0),
    written_off        INTEGER NOT NULL CHECK (written_off >= 0),
    reversed           INTEGER NOT NULL CHECK (reversed >= 0),
    on_hand            INTEGER GENERATED ALWAYS AS (received - taken - written_off - reversed) VIRTUAL,
    best_before        TEXT,
    source_donation_id TEXT REFERENCES donations (id),
    source_purchase_id TEXT REFERENCES purchases (id),
    source_line        INTEGER NOT NULL,
    receive_time       TEXT NOT NULL,
    create_time        TEXT NOT NULL,
    update_time        TEXT NOT NULL,
    revision           INTEGER NOT NULL,
    PRIMARY KEY (depot_id, id),
    CHECK (received - taken - written_off - reversed >= 0),
    CHECK ((source_donation_id IS NULL) <> (source_purchase_id IS NULL))
) STRICT, WITHOUT ROWID;
CREATE INDEX lots_by_best_before ON lots (depot_id, COALESCE(best_before, '9999-12-31'), receive_time, id);
CREATE INDEX lots_by_donation ON lots (source_donation_id) WHERE source_donation_id IS NOT NULL;
CREATE INDEX lots_by_purchase ON lots (source_purchase_id) WHERE source_purchase_id IS NOT NULL;

-- Each write-off, for the record of what spoiled when.
CREATE TABLE write_offs (
    depot_id   TEXT NOT NULL,
    lot_id     TEXT NOT NULL,
    write_time TEXT NOT NULL,
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    reason     TEXT NOT NULL,
    FOREIGN KEY (depot_id, lot_id) REFERENCES lots (depot_id, id)
) STRICT;
CREATE INDEX write_offs_by_time ON write_offs (write_time);
