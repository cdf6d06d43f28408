-- Impersonation ("Log in as", PRODUCT.md §4): who acted as whom, in which account,
-- why and for how long; the support access client accounts grant; and who is active
-- in an account right now, kept here so every server process sharing the database
-- sees the same.

CREATE TABLE impersonations (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    impersonator_id  INTEGER NOT NULL REFERENCES users(id),
    -- The client user acted as; none in partner mode.
    target_id        INTEGER REFERENCES users(id),
    account_id       INTEGER NOT NULL REFERENCES nodes(id),
    mode             TEXT    NOT NULL CHECK (mode IN ('client', 'partner')),
    reason           TEXT    NOT NULL,
    -- Where Stop returns the impersonator to.
    return_to        TEXT    NOT NULL,
    address          TEXT    NOT NULL,
    started_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    ended_at         INTEGER,
    -- 'stopped', 'signed_out', 'expired', 'access_revoked', 'target_unavailable'
    end_reason       TEXT
);
CREATE INDEX impersonations_account ON impersonations (account_id, started_at);
CREATE INDEX impersonations_impersonator ON impersonations (impersonator_id);

-- An impersonation's session is a session of its own: the impersonator's other
-- sessions and the client's are never touched.
ALTER TABLE sessions ADD COLUMN impersonation_id INTEGER REFERENCES impersonations(id);

-- Support access a client account grants, until it expires or is revoked.
CREATE TABLE support_grants (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id   INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    granted_by   INTEGER NOT NULL REFERENCES users(id),
    granted_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER,
    revoked_by   INTEGER REFERENCES users(id)
);
CREATE INDEX support_grants_account ON support_grants (account_id, expires_at);

-- Who was last seen active in an account: as themselves (impersonation 0) or
-- through an impersonation.
CREATE TABLE presence (
    account_id        INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    user_id           INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    impersonation_id  INTEGER NOT NULL DEFAULT 0,
    last_seen_at      INTEGER NOT NULL,
    PRIMARY KEY (account_id, user_id, impersonation_id)
);

-- Every event done through an impersonation names it.
ALTER TABLE audit_events ADD COLUMN impersonation_id INTEGER;
CREATE INDEX audit_events_impersonation ON audit_events (impersonation_id);
