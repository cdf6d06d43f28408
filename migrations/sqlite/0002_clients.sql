-- Client accounts (PRODUCT.md §2) and partner settings (§7).
-- A client account is a node of kind 'client'; its company name is the node's name.

CREATE TABLE clients (
    node_id          INTEGER PRIMARY KEY REFERENCES nodes(id),
    partner_id       INTEGER NOT NULL REFERENCES nodes(id),
    -- The company name folded to lower case: the directory's sort key.
    name_key         TEXT    NOT NULL,
    contact_name     TEXT    NOT NULL,
    email            TEXT    NOT NULL,
    phone            TEXT    NOT NULL,
    address          TEXT    NOT NULL,
    time_zone        TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('pending', 'active', 'suspended')),
    seat_limit       INTEGER NOT NULL CHECK (seat_limit >= 1),
    -- Cached sums of the credit ledger, kept in the same transaction as each entry;
    -- the guarded update on them is what keeps concurrent usage from going below zero.
    sms_balance      INTEGER NOT NULL DEFAULT 0 CHECK (sms_balance >= 0),
    voice_balance    INTEGER NOT NULL DEFAULT 0 CHECK (voice_balance >= 0),
    sso_token        TEXT    NOT NULL,
    operator_status  TEXT    NOT NULL DEFAULT '',
    -- Company, contact, email and phone folded to lower case, for the directory search.
    search_text      TEXT    NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX clients_by_name ON clients (name_key, node_id);
CREATE INDEX clients_by_created ON clients (created_at, node_id);
CREATE INDEX clients_by_sms ON clients (sms_balance, node_id);
CREATE INDEX clients_by_voice ON clients (voice_balance, node_id);
CREATE INDEX clients_partner_name ON clients (partner_id, name_key, node_id);

CREATE TABLE client_tags (
    client_id  INTEGER NOT NULL REFERENCES clients(node_id) ON DELETE CASCADE,
    tag        TEXT    NOT NULL,
    PRIMARY KEY (client_id, tag)
);
CREATE INDEX client_tags_tag ON client_tags (tag, client_id);

CREATE TABLE client_features (
    client_id  INTEGER NOT NULL REFERENCES clients(node_id) ON DELETE CASCADE,
    feature    TEXT    NOT NULL,
    PRIMARY KEY (client_id, feature)
);
CREATE INDEX client_features_feature ON client_features (feature, client_id);

-- The credit ledger: grants, top-ups and usage. A balance is the sum of its entries.
CREATE TABLE credit_entries (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id      INTEGER NOT NULL REFERENCES clients(node_id),
    credit         TEXT    NOT NULL CHECK (credit IN ('sms', 'voice')),
    entry_type     TEXT    NOT NULL CHECK (entry_type IN ('grant', 'top_up', 'usage')),
    amount         INTEGER NOT NULL,
    balance_after  INTEGER NOT NULL CHECK (balance_after >= 0),
    note           TEXT    NOT NULL,
    actor_user_id  INTEGER REFERENCES users(id),
    created_at     INTEGER NOT NULL
);
CREATE INDEX credit_entries_client ON credit_entries (client_id, credit, id);

CREATE TABLE partner_settings (
    partner_id          INTEGER PRIMARY KEY REFERENCES nodes(id),
    product_name        TEXT    NOT NULL,
    -- Comma-separated feature keys from the catalog in app/src/clients/mod.rs.
    grantable_features  TEXT    NOT NULL,
    logo_url            TEXT    NOT NULL DEFAULT '',
    primary_colour      TEXT    NOT NULL,
    accent_colour       TEXT    NOT NULL,
    support_email       TEXT    NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);

CREATE TABLE branding_domains (
    domain      TEXT    PRIMARY KEY,
    partner_id  INTEGER NOT NULL REFERENCES nodes(id)
);
CREATE INDEX branding_domains_partner ON branding_domains (partner_id);

-- Nonces of signed SSO login links already used: each link signs in once.
CREATE TABLE sso_link_uses (
    client_id   INTEGER NOT NULL REFERENCES clients(node_id),
    nonce       TEXT    NOT NULL,
    expires_at  INTEGER NOT NULL,
    PRIMARY KEY (client_id, nonce)
);

-- Single-use links that let a new user set their first password. Only a hash of the
-- token is stored, as for sessions.
CREATE TABLE user_tokens (
    token_hash  TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose     TEXT    NOT NULL CHECK (purpose IN ('activation')),
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
CREATE INDEX user_tokens_user ON user_tokens (user_id);

-- Client nodes created before this migration get details to edit later.
INSERT INTO clients (node_id, partner_id, name_key, contact_name, email, phone, address,
                     time_zone, status, seat_limit, sso_token, search_text, version,
                     created_at, updated_at)
SELECT n.id, p.id, lower(n.name), '', '', '', '', 'UTC', 'active', 5,
       lower(hex(randomblob(32))), lower(n.name), 1, n.created_at, n.updated_at
FROM nodes n
JOIN node_paths np ON np.descendant_id = n.id
JOIN nodes p ON p.id = np.ancestor_id AND p.kind = 'partner'
WHERE n.kind = 'client';
