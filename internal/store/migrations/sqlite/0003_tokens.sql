-- Bearer tokens. Only a hash of each secret is kept; the secret is shown
-- once, when the token is made.
CREATE TABLE tokens (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'staff', 'driver')),
    hospital_id    TEXT REFERENCES hospitals (id),
    volunteer_id   TEXT REFERENCES volunteers (id),
    demo           INTEGER NOT NULL CHECK (demo IN (0, 1)),
    secret_hash    BLOB NOT NULL,
    create_time    TEXT NOT NULL,
    last_used_time TEXT,
    revoke_time    TEXT,
    CHECK ((role = 'staff') = (hospital_id IS NOT NULL)),
    CHECK ((role = 'driver') = (volunteer_id IS NOT NULL))
) STRICT;
