-- The donations ledger. Entries are never updated but to be marked
-- reversed, and never deleted: a reversing entry names the one it reverses,
-- at most one per donation. Money is in the currency's minor units.
CREATE TABLE donations (
    id                TEXT PRIMARY KEY,
    donor_name        TEXT NOT NULL,
    donor_contact     TEXT NOT NULL,
    donor_public      INTEGER NOT NULL CHECK (donor_public IN (0, 1)),
    receive_time      TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('MONEY', 'GOODS')),
    currency          TEXT,
    amount_minor      INTEGER,
    channel           TEXT,
    payment_reference TEXT NOT NULL,
    depot_id          TEXT REFERENCES depots (id),
    notes             TEXT NOT NULL,
    reverses_id       TEXT UNIQUE REFERENCES donations (id),
    reversed_by_id    TEXT,
    reverse_reason    TEXT NOT NULL,
    create_time       TEXT NOT NULL,
    update_time       TEXT NOT NULL,
    revision          INTEGER NOT NULL,
    CHECK ((kind = 'MONEY') = (currency IS NOT NULL AND amount_minor IS NOT NULL AND channel IS NOT NULL)),
    CHECK ((kind = 'GOODS') = (depot_id IS NOT NULL))
) STRICT;
CREATE INDEX donations_by_receive_time ON donations (receive_time, id);
-- Purchases spend money donations of one currency oldest first.
CREATE INDEX donations_by_currency ON donations (currency, receive_time, id) WHERE kind = 'MONEY';

CREATE TABLE donation_lines (
    donation_id TEXT NOT NULL REFERENCES donations (id),
    position    INTEGER NOT NULL,
    category    TEXT NOT NULL,
    description TEXT NOT NULL,
    quantity    INTEGER NOT NULL,
    unit        TEXT NOT NULL,
    best_before TEXT,
    PRIMARY KEY (donation_id, position)
) STRICT, WITHOUT ROWID;
