-- Purchases: money donations spent on goods received into a depot. Each
-- allocation is the part of a purchase one donation paid, in the
-- purchase's currency (always the donation's: nothing is converted).
CREATE TABLE purchases (
    id                TEXT PRIMARY KEY,
    supplier          TEXT NOT NULL,
    currency          TEXT NOT NULL,
    amount_minor      INTEGER NOT NULL CHECK (amount_minor > 0),
    receipt_reference TEXT NOT NULL,
    depot_id          TEXT NOT NULL REFERENCES depots (id),
    purchase_time     TEXT NOT NULL,
    notes             TEXT NOT NULL,
    create_time       TEXT NOT NULL,
    update_time       TEXT NOT NULL,
    revision          INTEGER NOT NULL
) STRICT;
CREATE INDEX purchases_by_purchase_time ON purchases (purchase_time, id);

CREATE TABLE purchase_lines (
    purchase_id TEXT NOT NULL REFERENCES purchases (id),
    position    INTEGER NOT NULL,
    category    TEXT NOT NULL,
    description TEXT NOT NULL,
    quantity    INTEGER NOT NULL,
    unit        TEXT NOT NULL,
    best_before TEXT,
    PRIMARY KEY (purchase_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE allocations (
    purchase_id  TEXT NOT NULL REFERENCES purchases (id),
    position     INTEGER NOT NULL,
    donation_id  TEXT NOT NULL REFERENCES donations (id),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (purchase_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX allocations_by_donation ON allocations (donation_id, amount_minor);
