-- Foundation: the tenancy tree, users, memberships, sessions, sign-in throttling, audit.
-- Times are integer milliseconds since the Unix epoch; flags are 0/1 integers (see app/src/db.rs).

CREATE TABLE nodes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id   INTEGER REFERENCES nodes(id),
    kind        TEXT    NOT NULL CHECK (kind IN ('platform', 'partner', 'group', 'client')),
    name        TEXT    NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX nodes_parent ON nodes (parent_id);
CREATE UNIQUE INDEX nodes_one_platform ON nodes (kind) WHERE kind = 'platform';

-- Closure table: one row per (ancestor, descendant) pair, including each node with itself at depth 0.
CREATE TABLE node_paths (
    ancestor_id   INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    descendant_id INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    depth         INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, descendant_id)
);
CREATE INDEX node_paths_descendant ON node_paths (descendant_id, depth);

CREATE TABLE users (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    email                 TEXT    NOT NULL,
    email_normalized      TEXT    NOT NULL,
    name                  TEXT    NOT NULL,
    language              TEXT    NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'fr')),
    status                TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('invited', 'active', 'disabled')),
    password_hash         TEXT,
    must_change_password  INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    last_sign_in_at       INTEGER,
    version               INTEGER NOT NULL DEFAULT 1,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    CONSTRAINT users_email_unique UNIQUE (email_normalized)
);

-- Roles are a comma-separated list of role keys from the catalog in app/src/auth/roles.rs.
CREATE TABLE memberships (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    node_id     INTEGER NOT NULL REFERENCES nodes(id),
    roles       TEXT    NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    CONSTRAINT memberships_user_node_unique UNIQUE (user_id, node_id)
);
CREATE INDEX memberships_node ON memberships (node_id);

-- Only a hash of the session token is stored: a leaked table does not leak sessions.
CREATE TABLE sessions (
    token_hash    TEXT    PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    address       TEXT    NOT NULL,
    user_agent    TEXT    NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE sign_in_failures (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    email_normalized  TEXT    NOT NULL,
    address           TEXT    NOT NULL,
    failed_at         INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_email ON sign_in_failures (email_normalized, failed_at);
CREATE INDEX sign_in_failures_address ON sign_in_failures (address, failed_at);

-- Audit history outlives what it describes: node_id is deliberately not a foreign key.
CREATE TABLE audit_events (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at      INTEGER NOT NULL,
    actor_user_id    INTEGER REFERENCES users(id),
    subject_user_id  INTEGER REFERENCES users(id),
    node_id          INTEGER,
    action           TEXT    NOT NULL,
    details          TEXT    NOT NULL,
    address          TEXT    NOT NULL
);
CREATE INDEX audit_events_node ON audit_events (node_id, occurred_at);
CREATE INDEX audit_events_actor ON audit_events (actor_user_id, occurred_at);
